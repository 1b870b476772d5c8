package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.GenerationRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes settlements: for each, release the reservation, debit the cost (ledger transaction keyed
 * by the generation id, so a settlement written twice counts once), count the spend on the key and
 * record the generation. A batch is one transaction (one synchronous commit); its settlements are
 * applied in organization then key order, and each locks the organization's account before the key
 * — the order {@link SpendGate} uses — so concurrent writers and reservations never deadlock.
 */
public final class SettlementBook {

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
        Comparator.comparing((Settlement s) -> s.reservation().orgId().value())
            .thenComparing(s -> s.reservation().apiKeyId()));
    Instant now = clock.instant();
    transactions.inTransaction(
        c -> {
          // the whole batch in two round trips: the money (procedure switchboard_settle, migration
          // V2), then the
          // generation records
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

  private static final String SETTLE = "CALL switchboard_settle(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static void addSettle(PreparedStatement settle, Settlement settlement, Instant now)
      throws SQLException {
    Reservation reservation = settlement.reservation();
    Generation generation = settlement.generation();
    settle.setObject(1, reservation.id());
    settle.setObject(2, reservation.orgId().value());
    settle.setObject(3, reservation.apiKeyId());
    settle.setString(4, generation == null ? null : generation.id());
    settle.setLong(5, settlement.cost().nanos());
    settle.setString(
        6, generation == null ? null : generation.model() + " via " + generation.providerSlug());
    settle.setTimestamp(7, Timestamp.from(generation == null ? now : generation.createdAt()));
    settle.setTimestamp(8, Timestamp.from(LimitReset.DAILY.periodStart(now)));
    settle.setTimestamp(9, Timestamp.from(LimitReset.WEEKLY.periodStart(now)));
    settle.setTimestamp(10, Timestamp.from(LimitReset.MONTHLY.periodStart(now)));
    settle.addBatch();
  }

  /**
   * Releases reservations that outlived their hold (their request died with a crashed instance) and
   * returns how many. Safe alongside live settlement: whoever deletes the row releases the amount.
   */
  public int releaseExpired() {
    Instant now = clock.instant();
    return transactions.inTransaction(
        c -> {
          List<Reservation> expired = new ArrayList<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, org_id, api_key_id, amount_nanos FROM reservations WHERE expires_at < ?"
                      + " ORDER BY org_id, api_key_id LIMIT 1000")) {
            query.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                expired.add(
                    new Reservation(
                        rows.getObject(1, UUID.class),
                        new OrganizationId(rows.getObject(2, UUID.class)),
                        rows.getObject(3, UUID.class),
                        Credits.ofNanos(rows.getLong(4))));
              }
            }
          }
          try (PreparedStatement settle = c.prepareStatement(SETTLE)) {
            for (Reservation reservation : expired) {
              addSettle(settle, Settlement.released(reservation), now);
            }
            settle.executeBatch();
          }
          return expired.size();
        });
  }
}
