package dev.switchboard.domain.tenancy;

import dev.switchboard.domain.TenantScope;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.keys.NewApiKey;
import dev.switchboard.domain.ledger.Ledger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Founds organizations and finds them. */
public final class OrganizationRepository {

  /** A new organization and the management key that administers it (plaintext shown once). */
  public record Founded(Organization organization, NewApiKey managementKey) {}

  private final TransactionRunner transactions;
  private final ApiKeyRepository keys;
  private final Ledger ledger;
  private final Clock clock;

  public OrganizationRepository(
      TransactionRunner transactions, ApiKeyRepository keys, Ledger ledger, Clock clock) {
    this.transactions = transactions;
    this.keys = keys;
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * Creates the organization with its default workspace, its credits account (empty) and a
   * management key, all in one transaction.
   */
  public Founded found(String name) {
    return transactions.inTransaction(
        c -> {
          Organization organization = found(c, name, false);
          NewApiKey management =
              keys.create(
                  c,
                  organization.id(),
                  organization.defaultWorkspaceId(),
                  new KeySettings("Management key", null, null, null),
                  true);
          return new Founded(organization, management);
        });
  }

  /**
   * Creates the organization with its default workspace and its credits account (empty) inside the
   * caller's transaction, which from then on acts in the new organization's {@link TenantScope};
   * {@code personal} for the one every user gets at sign-up.
   */
  public Organization found(Connection c, String name, boolean personal) throws SQLException {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("name must be 1 to 200 characters");
    }
    OrganizationId id = OrganizationId.newId();
    UUID workspace = UUID.randomUUID();
    Instant now = clock.instant();
    TenantScope.enter(c, id);
    try (PreparedStatement org =
        c.prepareStatement(
            "INSERT INTO organizations (id, name, is_personal, created_at) VALUES (?, ?, ?, ?)")) {
      org.setObject(1, id.value());
      org.setString(2, name.trim());
      org.setBoolean(3, personal);
      org.setTimestamp(4, Timestamp.from(now));
      org.executeUpdate();
    }
    try (PreparedStatement ws =
        c.prepareStatement(
            "INSERT INTO workspaces (id, org_id, name, is_default, created_at)"
                + " VALUES (?, ?, 'Default', true, ?)")) {
      ws.setObject(1, workspace);
      ws.setObject(2, id.value());
      ws.setTimestamp(3, Timestamp.from(now));
      ws.executeUpdate();
    }
    ledger.openAccount(c, id);
    return new Organization(id, name.trim(), workspace, now);
  }

  /** The organization, unless it does not exist or was deleted. */
  public Optional<Organization> find(OrganizationId id) {
    return transactions.inTenant(
        id,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT o.name, o.created_at, w.id FROM organizations o"
                      + " JOIN workspaces w ON w.org_id = o.id AND w.is_default"
                      + " WHERE o.id = ? AND o.deleted_at IS NULL")) {
            query.setObject(1, id.value());
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new Organization(
                      id,
                      rows.getString(1),
                      rows.getObject(3, UUID.class),
                      rows.getTimestamp(2).toInstant()));
            }
          }
        });
  }
}
