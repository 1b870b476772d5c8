package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.GenerationRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes settlements. A batch is one transaction (one synchronous commit) of two round trips: the
 * money, then the generation records. The money is one call of {@code switchboard_settle_batch}
 * (migration V24), which takes the batch as arrays and writes it as sets: for each request the cost
 * is debited in a ledger transaction keyed by the generation id, the spend counted on the key and
 * the key's lease shrunk by what was taken from it, as one step, so a settlement written twice
 * counts once; leases are shrunk or returned in the same batch. It locks rows table by table in id
 * order, the order leases lock in (migration V3), so concurrent writers and leases never deadlock.
 */
public final class SettlementBook {

  private static final String SETTLE =
      "CALL switchboard_settle_batch(?, ?, ?, ?, ?, ?, ?, ?::timestamptz[], ?, ?, ?)";

  private final TransactionRunner transactions;
  private final Clock clock;

  public SettlementBook(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  public void settle(List<Settlement> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    // a batch holds many organizations' settlements
    transactions.acrossTenants(
        c -> {
          try (PreparedStatement settle = c.prepareStatement(SETTLE)) {
            bind(c, settle, batch, now);
            settle.execute();
          }
          List<Generation> generations =
              batch.stream().map(Settlement::generation).filter(Objects::nonNull).toList();
          if (!generations.isEmpty()) {
            GenerationRepository.insertAll(c, generations);
          }
          return null;
        });
  }

  private static void bind(
      Connection c, PreparedStatement settle, List<Settlement> batch, Instant now)
      throws SQLException {
    int size = batch.size();
    UUID[] leases = new UUID[size];
    Long[] fromLease = new Long[size];
    UUID[] orgs = new UUID[size];
    UUID[] keys = new UUID[size];
    String[] generations = new String[size];
    Long[] costs = new Long[size];
    String[] descriptions = new String[size];
    String[] createdAt = new String[size];
    for (int i = 0; i < size; i++) {
      Settlement settlement = batch.get(i);
      Generation generation = settlement.generation();
      leases[i] = settlement.leaseId();
      // null: the whole lease, returned
      fromLease[i] = settlement.closesLease() ? null : settlement.fromLease().nanos();
      orgs[i] = settlement.orgId().value();
      keys[i] = settlement.apiKeyId();
      generations[i] = generation == null ? null : generation.id();
      costs[i] = settlement.cost().nanos();
      descriptions[i] =
          generation == null ? null : generation.model() + " via " + generation.providerSlug();
      createdAt[i] = (generation == null ? now : generation.createdAt()).toString();
    }
    settle.setArray(1, c.createArrayOf("uuid", leases));
    settle.setArray(2, c.createArrayOf("bigint", fromLease));
    settle.setArray(3, c.createArrayOf("uuid", orgs));
    settle.setArray(4, c.createArrayOf("uuid", keys));
    settle.setArray(5, c.createArrayOf("text", generations));
    settle.setArray(6, c.createArrayOf("bigint", costs));
    settle.setArray(7, c.createArrayOf("text", descriptions));
    settle.setArray(8, c.createArrayOf("text", createdAt));
    settle.setTimestamp(9, Timestamp.from(LimitReset.DAILY.periodStart(now)));
    settle.setTimestamp(10, Timestamp.from(LimitReset.WEEKLY.periodStart(now)));
    settle.setTimestamp(11, Timestamp.from(LimitReset.MONTHLY.periodStart(now)));
  }

  /**
   * Releases leases that outlived their expiry (their instance died or lost the database for longer
   * than the lease time) and returns how many it found. Safe alongside live settlement: whoever
   * deletes the row releases the amount.
   */
  public int releaseExpired() {
    Instant now = clock.instant();
    List<Settlement> expired =
        transactions.acrossTenants(
            c -> {
              List<Settlement> found = new ArrayList<>();
              try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT id, org_id, api_key_id FROM reservations WHERE expires_at < ?"
                          + " LIMIT 1000")) {
                query.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    found.add(
                        Settlement.returned(
                            rows.getObject(1, UUID.class),
                            new OrganizationId(rows.getObject(2, UUID.class)),
                            rows.getObject(3, UUID.class)));
                  }
                }
              }
              return found;
            });
    settle(expired);
    return expired.size();
  }
}
