package dev.switchboard.domain.accounts;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users and their memberships in PostgreSQL. */
public final class UserRepository {

  private static final String COLUMNS =
      "id, email, display_name, email_verified_at IS NOT NULL, personal_org_id, created_at";

  /** A user with the stored password hash, for the sign-in check only. */
  record Credentials(User user, String passwordHash) {}

  private final TransactionRunner transactions;

  public UserRepository(TransactionRunner transactions) {
    this.transactions = transactions;
  }

  void insert(Connection c, User user, String passwordHash) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO users (id, email, display_name, password_hash, personal_org_id,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setObject(1, user.id().value());
      insert.setString(2, user.email());
      insert.setString(3, user.displayName());
      insert.setString(4, passwordHash);
      insert.setObject(5, user.personalOrgId().value());
      insert.setTimestamp(6, Timestamp.from(user.createdAt()));
      insert.setTimestamp(7, Timestamp.from(user.createdAt()));
      insert.executeUpdate();
    }
  }

  void addMembership(Connection c, OrganizationId org, UserId user, Role role, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)")) {
      insert.setObject(1, org.value());
      insert.setObject(2, user.value());
      insert.setString(3, role.wireName());
      insert.setTimestamp(4, Timestamp.from(now));
      insert.executeUpdate();
    }
  }

  /** Whether an account uses this (normalized) address; locks nothing. */
  boolean emailTaken(Connection c, String email) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM users WHERE email = ?")) {
      query.setString(1, email);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  Optional<Credentials> credentials(String email) {
    return transactions.withConnection(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT " + COLUMNS + ", password_hash FROM users WHERE email = ?")) {
            query.setString(1, email);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(new Credentials(map(rows), rows.getString(7)))
                  : Optional.empty();
            }
          }
        });
  }

  public Optional<User> find(UserId id) {
    return transactions.withConnection(c -> find(c, "id = ?", id.value()));
  }

  Optional<User> find(Connection c, UserId id) throws SQLException {
    return find(c, "id = ?", id.value());
  }

  public Optional<User> findByEmail(String email) {
    return transactions.withConnection(c -> find(c, "email = ?", email));
  }

  Optional<User> findByEmail(Connection c, String email) throws SQLException {
    return find(c, "email = ?", email);
  }

  /** Marks the address verified; true the first time. */
  boolean markVerified(Connection c, UserId id, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE users SET email_verified_at = ?, updated_at = ?"
                + " WHERE id = ? AND email_verified_at IS NULL")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setTimestamp(2, Timestamp.from(now));
      update.setObject(3, id.value());
      return update.executeUpdate() == 1;
    }
  }

  void setPasswordHash(Connection c, UserId id, String hash, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")) {
      update.setString(1, hash);
      update.setTimestamp(2, Timestamp.from(now));
      update.setObject(3, id.value());
      update.executeUpdate();
    }
  }

  /** The user an identity at an OpenID Connect provider signs in as. */
  public Optional<User> findByIdentity(String issuer, String subject) {
    return transactions.withConnection(c -> findByIdentity(c, issuer, subject));
  }

  Optional<User> findByIdentity(Connection c, String issuer, String subject) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?")) {
      query.setString(1, issuer);
      query.setString(2, subject);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? find(c, new UserId(rows.getObject(1, UUID.class))) : Optional.empty();
      }
    }
  }

  void linkIdentity(Connection c, String issuer, String subject, UserId user, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO user_identities (issuer, subject, user_id, created_at)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setString(1, issuer);
      insert.setString(2, subject);
      insert.setObject(3, user.value());
      insert.setTimestamp(4, Timestamp.from(now));
      insert.executeUpdate();
    }
  }

  /** Whether the user can sign in through single sign-on (has a linked identity). */
  boolean hasIdentity(Connection c, UserId user) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT 1 FROM user_identities WHERE user_id = ? LIMIT 1")) {
      query.setObject(1, user.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** The name of an organization of the user's that requires single sign-on, if any. */
  Optional<String> organizationRequiringSso(UserId user) {
    // a person's organizations span tenants
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.org_id"
                      + " WHERE m.user_id = ? AND o.require_sso ORDER BY lower(o.name) LIMIT 1")) {
            query.setObject(1, user.value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** The organizations the user belongs to: the personal one first, then by name. */
  public List<Membership> memberships(UserId user) {
    // a person's organizations span tenants
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT o.id, o.name, o.is_personal, m.role FROM memberships m"
                      + " JOIN organizations o ON o.id = m.org_id WHERE m.user_id = ?"
                      + " ORDER BY o.is_personal DESC, lower(o.name), o.id")) {
            query.setObject(1, user.value());
            List<Membership> memberships = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                memberships.add(
                    new Membership(
                        new OrganizationId(rows.getObject(1, UUID.class)),
                        rows.getString(2),
                        rows.getBoolean(3),
                        Role.parse(rows.getString(4)).orElseThrow()));
              }
            }
            return memberships;
          }
        });
  }

  private static Optional<User> find(Connection c, String where, Object value) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE " + where)) {
      query.setObject(1, value);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(map(rows)) : Optional.empty();
      }
    }
  }

  private static User map(ResultSet rows) throws SQLException {
    return new User(
        new UserId(rows.getObject(1, UUID.class)),
        rows.getString(2),
        rows.getString(3),
        rows.getBoolean(4),
        new OrganizationId(rows.getObject(5, UUID.class)),
        rows.getTimestamp(6).toInstant());
  }
}
