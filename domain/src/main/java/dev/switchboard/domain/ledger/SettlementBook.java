package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Writes settlements: for each, release the reservation, debit the cost (ledger transaction keyed by the
 * generation id, so a settlement written twice counts once), count the spend on the key and record the
 * generation. A batch is one transaction; rows are locked in one global order (organization account, then
 * key) — the order {@link SpendGate} uses — so concurrent writers and reservations never deadlock.
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
          long usageAccount = Ledger.systemAccountId(c, "inference_usage");
          for (Settlement settlement : ordered) {
            settleOne(c, settlement, usageAccount, now);
          }
          return null;
        });
  }

  private void settleOne(Connection c, Settlement settlement, long usageAccount, Instant now)
      throws SQLException {
    Reservation reservation = settlement.reservation();
    long released = deleteReservation(c, reservation);
    long cost = settlement.cost().nanos();
    Long ledgerTx = null;
    boolean firstTime = true;
    Generation generation = settlement.generation();
    if (cost > 0) {
      ledgerTx = insertUsageTransaction(c, generation);
      firstTime = ledgerTx != null;
    }
    long orgAccount = releaseAccount(c, reservation, released);
    updateKey(c, reservation, released, firstTime ? cost : 0, now);
    if (ledgerTx != null) {
      Ledger.insertEntry(c, ledgerTx, orgAccount, -cost);
      Ledger.insertEntry(c, ledgerTx, usageAccount, cost);
    }
    if (generation != null && firstTime) {
      GenerationRepository.insert(c, generation, ledgerTx);
    }
  }

  /** Zero when the reservation is gone already: expired and released by the reconciler, or settled. */
  private static long deleteReservation(Connection c, Reservation reservation) throws SQLException {
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM reservations WHERE id = ? RETURNING amount_nanos")) {
      delete.setObject(1, reservation.id());
      try (ResultSet rows = delete.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  private static Long insertUsageTransaction(Connection c, Generation generation) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ledger_transactions (org_id, kind, idempotency_key, description, created_at)"
                + " VALUES (?, 'usage', ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")) {
      insert.setObject(1, generation.orgId().value());
      insert.setString(2, "usage:" + generation.id());
      insert.setString(3, generation.model() + " via " + generation.providerSlug());
      insert.setTimestamp(4, Timestamp.from(generation.createdAt()));
      try (ResultSet rows = insert.executeQuery()) {
        return rows.next() ? rows.getLong(1) : null;
      }
    }
  }

  /** Always touches the account row first, even to release nothing, to keep the lock order. */
  private static long releaseAccount(Connection c, Reservation reservation, long released)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ledger_accounts SET reserved_nanos = reserved_nanos - ?"
                + " WHERE org_id = ? AND kind = 'org_credits' RETURNING id")) {
      update.setLong(1, released);
      update.setObject(2, reservation.orgId().value());
      try (ResultSet rows = update.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void updateKey(Connection c, Reservation reservation, long released, long cost, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE api_keys SET reserved_nanos = reserved_nanos - ?, usage_nanos = usage_nanos + ?,"
                + " period_usage_nanos = CASE"
                + "   WHEN limit_reset IS NULL THEN period_usage_nanos + ?"
                + "   WHEN period_start >= (CASE limit_reset WHEN 'daily' THEN ?::timestamptz"
                + "     WHEN 'weekly' THEN ?::timestamptz ELSE ?::timestamptz END) THEN period_usage_nanos + ?"
                + "   ELSE ? END,"
                + " period_start = CASE WHEN limit_reset IS NULL THEN period_start"
                + "   ELSE greatest(coalesce(period_start, '-infinity'), CASE limit_reset"
                + "     WHEN 'daily' THEN ?::timestamptz WHEN 'weekly' THEN ?::timestamptz"
                + "     ELSE ?::timestamptz END) END"
                + " WHERE id = ?")) {
      Timestamp daily = Timestamp.from(LimitReset.DAILY.periodStart(now));
      Timestamp weekly = Timestamp.from(LimitReset.WEEKLY.periodStart(now));
      Timestamp monthly = Timestamp.from(LimitReset.MONTHLY.periodStart(now));
      update.setLong(1, released);
      update.setLong(2, cost);
      update.setLong(3, cost);
      update.setTimestamp(4, daily);
      update.setTimestamp(5, weekly);
      update.setTimestamp(6, monthly);
      update.setLong(7, cost);
      update.setLong(8, cost);
      update.setTimestamp(9, daily);
      update.setTimestamp(10, weekly);
      update.setTimestamp(11, monthly);
      update.setObject(12, reservation.apiKeyId());
      update.executeUpdate();
    }
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
          for (Reservation reservation : expired) {
            long released = deleteReservation(c, reservation);
            releaseAccount(c, reservation, released);
            updateKey(c, reservation, released, 0, now);
          }
          return expired.size();
        });
  }
}
