package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.GenerationRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes settlements. A batch is one transaction (one synchronous commit) of two round trips: the
 * money, then the generation records. For each request the cost is debited in a ledger transaction
 * keyed by the generation id, the spend counted on the key and the key's lease shrunk by what was
 * taken from it, as one step, so a settlement written twice counts once; leases are shrunk or
 * returned in the same batch. Writes are applied in organization then key order, and each locks in
 * the order leases do (migration V3), so concurrent writers and leases never deadlock.
 */
public final class SettlementBook {

  private static final String SETTLE = "CALL switchboard_settle(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
    List<Settlement> ordered = new ArrayList<>(batch);
    ordered.sort(
        Comparator.comparing((Settlement s) -> s.orgId().value())
            .thenComparing(Settlement::apiKeyId));
    Instant now = clock.instant();
    // a batch holds many organizations' settlements
    transactions.acrossTenants(
        c -> {
          try (PreparedStatement settle = c.prepareStatement(SETTLE)) {
            for (Settlement settlement : ordered) {
              addSettle(settle, settlement, now);
            }
            settle.executeBatch();
          }
          List<Generation> generations =
              ordered.stream().map(Settlement::generation).filter(Objects::nonNull).toList();
          if (!generations.isEmpty()) {
            GenerationRepository.insertAll(c, generations);
          }
          return null;
        });
  }

  private static void addSettle(PreparedStatement settle, Settlement settlement, Instant now)
      throws SQLException {
    Generation generation = settlement.generation();
    settle.setObject(1, settlement.leaseId());
    if (settlement.closesLease()) {
      settle.setNull(2, Types.BIGINT); // the whole lease, returned
    } else {
      settle.setLong(2, settlement.fromLease().nanos());
    }
    settle.setObject(3, settlement.orgId().value());
    settle.setObject(4, settlement.apiKeyId());
    settle.setString(5, generation == null ? null : generation.id());
    settle.setLong(6, settlement.cost().nanos());
    settle.setString(
        7, generation == null ? null : generation.model() + " via " + generation.providerSlug());
    settle.setTimestamp(8, Timestamp.from(generation == null ? now : generation.createdAt()));
    settle.setTimestamp(9, Timestamp.from(LimitReset.DAILY.periodStart(now)));
    settle.setTimestamp(10, Timestamp.from(LimitReset.WEEKLY.periodStart(now)));
    settle.setTimestamp(11, Timestamp.from(LimitReset.MONTHLY.periodStart(now)));
    settle.addBatch();
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
