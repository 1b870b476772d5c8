package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts failed sign-ins per subject (an account or a client address) in a fixed window; a subject
 * that reaches its limit is blocked until the window ends. Kept in the database, so that every
 * instance counts the same failures.
 */
final class SignInThrottle {

  static final Duration WINDOW = Duration.ofMinutes(15);

  private final EntityTransactions transactions;
  private final Clock clock;

  SignInThrottle(EntityTransactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** How long the subject must still wait, when it is blocked. */
  Optional<Duration> blockedFor(String subject) {
    Instant now = clock.instant();
    return transactions.inTransaction(
        u -> {
          try (PreparedStatement query =
              u.connection()
                  .prepareStatement(
                      "SELECT blocked_until FROM sign_in_failures WHERE subject = ? AND blocked_until > ?")) {
            query.setString(1, subject);
            query.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(Duration.between(now, rows.getTimestamp(1).toInstant()))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Counts a failure; the one that reaches {@code limit} blocks the subject to the window's end.
   */
  void recordFailure(String subject, int limit) {
    Instant now = clock.instant();
    Timestamp windowOpen = Timestamp.from(now.minus(WINDOW));
    transactions.inTransaction(
        u -> {
          try (PreparedStatement upsert =
              u.connection()
                  .prepareStatement(
                      "INSERT INTO sign_in_failures AS f (subject, failures, window_start)"
                          + " VALUES (?, 1, ?) ON CONFLICT (subject) DO UPDATE SET"
                          + " failures = CASE WHEN f.window_start <= ? THEN 1 ELSE f.failures + 1 END,"
                          + " window_start = CASE WHEN f.window_start <= ? THEN EXCLUDED.window_start"
                          + " ELSE f.window_start END,"
                          + " blocked_until = CASE WHEN f.window_start > ? AND f.failures + 1 >= ?"
                          + " THEN f.window_start + ? * interval '1 second' ELSE NULL END")) {
            upsert.setString(1, subject);
            upsert.setTimestamp(2, Timestamp.from(now));
            upsert.setTimestamp(3, windowOpen);
            upsert.setTimestamp(4, windowOpen);
            upsert.setTimestamp(5, windowOpen);
            upsert.setInt(6, limit);
            upsert.setLong(7, WINDOW.toSeconds());
            return upsert.executeUpdate();
          }
        });
  }

  /** Forgets the subject's failures (after a successful sign-in). */
  void clear(String subject) {
    transactions.inTransaction(
        u -> {
          try (PreparedStatement delete =
              u.connection().prepareStatement("DELETE FROM sign_in_failures WHERE subject = ?")) {
            delete.setString(1, subject);
            return delete.executeUpdate();
          }
        });
  }
}
