package dev.switchboard.domain.tenancy;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.money.Credits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every organization of the platform, for its operator only (the one place that reads across
 * tenants on purpose): list them with their members and balance, disable and enable one.
 */
public final class OrganizationDirectory {

  private final TransactionRunner transactions;
  private final Clock clock;

  public OrganizationDirectory(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A page of organizations whose name contains {@code search} (any case), newest first. */
  public List<OrganizationSummary> list(String search, int offset, int limit) {
    String pattern =
        "%" + (search == null ? "" : search.strip().replaceAll("([\\\\%_])", "\\\\$1")) + "%";
    // the operator's view over every organization
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT o.id, o.name, o.is_personal,"
                      + " (SELECT count(*) FROM memberships m WHERE m.org_id = o.id),"
                      + " a.balance_nanos, o.created_at, o.disabled_at"
                      + " FROM organizations o"
                      + " JOIN ledger_accounts a ON a.org_id = o.id AND a.kind = 'org_credits'"
                      + " WHERE o.name ILIKE ? ORDER BY o.created_at DESC, o.id LIMIT ? OFFSET ?")) {
            query.setString(1, pattern);
            query.setInt(2, limit);
            query.setInt(3, offset);
            List<OrganizationSummary> page = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                Timestamp disabled = rows.getTimestamp(7);
                page.add(
                    new OrganizationSummary(
                        new OrganizationId(rows.getObject(1, UUID.class)),
                        rows.getString(2),
                        rows.getBoolean(3),
                        rows.getLong(4),
                        Credits.ofNanos(rows.getLong(5)),
                        rows.getTimestamp(6).toInstant(),
                        disabled == null ? null : disabled.toInstant()));
              }
            }
            return page;
          }
        });
  }

  /**
   * Sets the organization's request rate limit (requests per minute over all its keys; null: none),
   * for every instance once this commits (a {@link KeyChange} is announced).
   *
   * @return the hashes of its keys, for the gateway's key cache; empty when it does not exist
   */
  public Optional<List<String>> setRateLimit(OrganizationId org, Integer requestsPerMinute) {
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE organizations SET rate_limit_rpm = ? WHERE id = ?")) {
            update.setObject(1, requestsPerMinute, Types.INTEGER);
            update.setObject(2, org.value());
            if (update.executeUpdate() == 0) {
              return Optional.empty();
            }
          }
          KeyChange.announceOrganization(c, org);
          return Optional.of(keyHashes(c, org));
        });
  }

  /**
   * Disables or enables the organization; its API keys are refused while it is disabled, by every
   * instance once this commits (a {@link KeyChange} is announced).
   *
   * @return the hashes of its keys, for the gateway's key cache; empty when it does not exist
   */
  public List<String> setDisabled(OrganizationId org, boolean disabled) {
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE organizations SET disabled_at = ? WHERE id = ?"
                      + (disabled ? " AND disabled_at IS NULL" : ""))) {
            update.setTimestamp(1, disabled ? Timestamp.from(clock.instant()) : null);
            update.setObject(2, org.value());
            update.executeUpdate();
          }
          KeyChange.announceOrganization(c, org);
          return keyHashes(c, org);
        });
  }

  private static List<String> keyHashes(Connection c, OrganizationId org) throws SQLException {
    List<String> hashes = new ArrayList<>();
    try (PreparedStatement keys =
        c.prepareStatement("SELECT hash FROM api_keys WHERE org_id = ?")) {
      keys.setObject(1, org.value());
      try (ResultSet rows = keys.executeQuery()) {
        while (rows.next()) {
          hashes.add(rows.getString(1));
        }
      }
    }
    return hashes;
  }
}
