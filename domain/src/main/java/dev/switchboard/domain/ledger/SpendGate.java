package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Takes a request's worst-case cost out of what its organization and key may still spend, in one atomic
 * step shared by every instance: the organization's {@code balance - reserved} and the key's limit are
 * checked and increased by one statement under row locks, so concurrent requests can never together
 * reserve more than there is.
 */
public final class SpendGate {

  /**
   * Reservations are held in the database with asynchronous commit: losing one in a database crash only
   * frees its hold early, while settlement, which moves money, commits synchronously.
   */
  private static final String RESERVE =
      "WITH account AS ("
          + "  UPDATE ledger_accounts SET reserved_nanos = reserved_nanos + ?"
          + "  WHERE org_id = ? AND kind = 'org_credits' AND balance_nanos - reserved_nanos >= ?"
          + "  RETURNING id),"
          + " key AS ("
          + "  UPDATE api_keys SET reserved_nanos = reserved_nanos + ?"
          + "  WHERE id = ? AND EXISTS (SELECT 1 FROM account)"
          + "  AND (limit_nanos IS NULL OR limit_nanos >= reserved_nanos + ?"
          + "       + CASE WHEN limit_reset IS NULL OR period_start >= ? THEN period_usage_nanos ELSE 0 END)"
          + "  RETURNING id),"
          + " hold AS ("
          + "  INSERT INTO reservations (id, org_id, api_key_id, amount_nanos, created_at, expires_at)"
          + "  SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM key)"
          + "  RETURNING id)"
          + " SELECT EXISTS (SELECT 1 FROM account), EXISTS (SELECT 1 FROM key), EXISTS (SELECT 1 FROM hold)";

  private final TransactionRunner transactions;
  private final Clock clock;
  private final Duration holdFor;

  public SpendGate(TransactionRunner transactions, Clock clock, Duration holdFor) {
    this.transactions = transactions;
    this.clock = clock;
    this.holdFor = holdFor;
  }

  /**
   * Reserves {@code amount} for a request made with {@code key}.
   *
   * @throws ReservationRefusedException when it fits in neither the credits nor the key's limit
   */
  public Reservation reserve(ApiKey key, Credits amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a reservation cannot be negative");
    }
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    Instant periodStart = key.currentPeriodStart(now);
    boolean[] outcome =
        transactions.inTransaction(
            c -> {
              try (PreparedStatement async = c.prepareStatement("SET LOCAL synchronous_commit = off")) {
                async.execute();
              }
              try (PreparedStatement reserve = c.prepareStatement(RESERVE)) {
                reserve.setLong(1, amount.nanos());
                reserve.setObject(2, key.orgId().value());
                reserve.setLong(3, amount.nanos());
                reserve.setLong(4, amount.nanos());
                reserve.setObject(5, key.id());
                reserve.setLong(6, amount.nanos());
                if (periodStart == null) {
                  reserve.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                  reserve.setTimestamp(7, Timestamp.from(periodStart));
                }
                reserve.setObject(8, id);
                reserve.setObject(9, key.orgId().value());
                reserve.setObject(10, key.id());
                reserve.setLong(11, amount.nanos());
                reserve.setTimestamp(12, Timestamp.from(now));
                reserve.setTimestamp(13, Timestamp.from(now.plus(holdFor)));
                try (ResultSet rows = reserve.executeQuery()) {
                  rows.next();
                  boolean[] result = {rows.getBoolean(1), rows.getBoolean(2), rows.getBoolean(3)};
                  if (!result[2]) {
                    // the organization's hold may have been taken while the key's was refused
                    c.rollback();
                  }
                  return result;
                }
              }
            });
    if (outcome[2]) {
      return new Reservation(id, key.orgId(), key.id(), amount);
    }
    if (!outcome[0]) {
      throw new ReservationRefusedException(
          ReservationRefusedException.Budget.CREDITS, amount, availableCredits(key));
    }
    throw new ReservationRefusedException(
        ReservationRefusedException.Budget.KEY_LIMIT, amount, availableUnderLimit(key, periodStart));
  }

  private Credits availableCredits(ApiKey key) {
    return transactions.withConnection(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT balance_nanos - reserved_nanos FROM ledger_accounts"
                      + " WHERE org_id = ? AND kind = 'org_credits'")) {
            query.setObject(1, key.orgId().value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Credits.ofNanos(rows.getLong(1)) : Credits.ZERO;
            }
          }
        });
  }

  private Credits availableUnderLimit(ApiKey key, Instant periodStart) {
    return transactions.withConnection(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT limit_nanos - reserved_nanos - CASE WHEN limit_reset IS NULL OR period_start >= ?"
                      + " THEN period_usage_nanos ELSE 0 END FROM api_keys WHERE id = ?")) {
            if (periodStart == null) {
              query.setNull(1, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
              query.setTimestamp(1, Timestamp.from(periodStart));
            }
            query.setObject(2, key.id());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Credits.ofNanos(rows.getLong(1)) : Credits.ZERO;
            }
          }
        });
  }
}
