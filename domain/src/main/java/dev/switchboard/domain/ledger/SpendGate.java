package dev.switchboard.domain.ledger;

import dev.switchboard.domain.SqlParameters;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Takes a request's worst-case cost out of what its organization and key may still spend, in one
 * atomic step shared by every instance: the organization's {@code balance - reserved} and the key's
 * limit are checked and increased under row locks by one database function, so concurrent requests
 * can never together reserve more than there is. The hold commits asynchronously (losing it in a
 * database crash only frees it early); settlement, which moves money, commits synchronously.
 */
public final class SpendGate {

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
    // one round trip: switchboard_reserve (migration V2) checks both budgets under row locks
    long[] outcome =
        transactions.withConnection(
            c -> {
              try (PreparedStatement reserve =
                  c.prepareStatement(
                      "SELECT outcome, available FROM switchboard_reserve(?, ?, ?, ?, ?, ?, ?)")) {
                reserve.setObject(1, id);
                reserve.setObject(2, key.orgId().value());
                reserve.setObject(3, key.id());
                reserve.setLong(4, amount.nanos());
                SqlParameters.setInstant(reserve, 5, periodStart);
                reserve.setTimestamp(6, Timestamp.from(now));
                reserve.setTimestamp(7, Timestamp.from(now.plus(holdFor)));
                try (ResultSet rows = reserve.executeQuery()) {
                  rows.next();
                  return new long[] {rows.getInt(1), rows.getLong(2)};
                }
              }
            });
    return switch ((int) outcome[0]) {
      case 0 -> new Reservation(id, key.orgId(), key.id(), amount);
      case 1 ->
          throw new ReservationRefusedException(
              ReservationRefusedException.Budget.CREDITS, amount, Credits.ofNanos(outcome[1]));
      default ->
          throw new ReservationRefusedException(
              ReservationRefusedException.Budget.KEY_LIMIT, amount, Credits.ofNanos(outcome[1]));
    };
  }
}
