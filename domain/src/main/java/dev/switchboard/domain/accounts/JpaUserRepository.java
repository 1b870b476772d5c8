package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, their identities and memberships through JPA; a person's list of organizations in SQL (it
 * reads the organizations, which stay on SQL).
 */
public final class JpaUserRepository implements UserRepository {

  private final EntityTransactions transactions;

  public JpaUserRepository(EntityTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void insert(UnitOfWork u, User user, String passwordHash) {
    u.entities().persist(new Account(user, passwordHash));
  }

  @Override
  public void addMembership(UnitOfWork u, OrganizationId org, UserId user, Role role, Instant now) {
    u.entities().persist(new MembershipEntity(org, user, role, now));
  }

  @Override
  public boolean emailTaken(UnitOfWork u, String email) {
    return account(u, email).isPresent();
  }

  @Override
  public Optional<Credentials> credentials(String email) {
    return transactions.inTransaction(
        u -> account(u, email).map(a -> new Credentials(a.asUser(), a.passwordHash())));
  }

  @Override
  public Optional<User> find(UserId id) {
    return transactions.inTransaction(u -> find(u, id));
  }

  @Override
  public Optional<User> find(UnitOfWork u, UserId id) {
    return Optional.ofNullable(u.entities().find(Account.class, id.value())).map(Account::asUser);
  }

  @Override
  public Optional<User> findByEmail(String email) {
    return transactions.inTransaction(u -> findByEmail(u, email));
  }

  @Override
  public Optional<User> findByEmail(UnitOfWork u, String email) {
    return account(u, email).map(Account::asUser);
  }

  @Override
  public boolean markVerified(UnitOfWork u, UserId id, Instant now) {
    return u.entities().find(Account.class, id.value()).verifyAddress(now);
  }

  @Override
  public void setPasswordHash(UnitOfWork u, UserId id, String hash, Instant now) {
    u.entities().find(Account.class, id.value()).changePassword(hash, now);
  }

  @Override
  public Optional<User> findByIdentity(String issuer, String subject) {
    return transactions.inTransaction(u -> findByIdentity(u, issuer, subject));
  }

  @Override
  public Optional<User> findByIdentity(UnitOfWork u, String issuer, String subject) {
    LinkedIdentity identity =
        u.entities().find(LinkedIdentity.class, new LinkedIdentity.Key(issuer, subject));
    return identity == null ? Optional.empty() : find(u, identity.user());
  }

  @Override
  public void linkIdentity(UnitOfWork u, String issuer, String subject, UserId user, Instant now) {
    u.entities().persist(new LinkedIdentity(issuer, subject, user, now));
  }

  @Override
  public boolean hasIdentity(UnitOfWork u, UserId user) {
    return !u.entities()
        .createQuery("SELECT i.issuer FROM LinkedIdentity i WHERE i.userId = :user", String.class)
        .setParameter("user", user.value())
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  @Override
  public Optional<String> organizationRequiringSso(UserId user) {
    // a person's organizations span tenants
    return transactions.acrossTenants(
        u -> {
          try (PreparedStatement query =
              u.connection()
                  .prepareStatement(
                      "SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.org_id"
                          + " WHERE m.user_id = ? AND o.require_sso ORDER BY lower(o.name)"
                          + " LIMIT 1")) {
            query.setObject(1, user.value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<Membership> memberships(UserId user) {
    // a person's organizations span tenants
    return transactions.acrossTenants(
        u -> {
          try (PreparedStatement query =
              u.connection()
                  .prepareStatement(
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

  private static Optional<Account> account(UnitOfWork u, String email) {
    return u.entities()
        .createQuery("SELECT a FROM Account a WHERE a.email = :email", Account.class)
        .setParameter("email", email)
        .getResultStream()
        .findFirst();
  }
}
