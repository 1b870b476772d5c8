package dev.switchboard.domain.accounts;

import dev.switchboard.domain.TransactionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Signed-in sessions, kept in the database so that every instance agrees on them: a session ends
 * when its person signs out, when it reaches its lifetime, and when the password is reset.
 */
public final class SessionRepository {

  private final TransactionRunner transactions;
  private final Clock clock;
  private final Duration lifetime;

  public SessionRepository(TransactionRunner transactions, Clock clock, Duration lifetime) {
    this.transactions = transactions;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** A new session's token (plaintext, for the browser only). */
  String start(Connection c, UserId user) throws SQLException {
    Instant now = clock.instant();
    String token = SecretToken.generate();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO user_sessions (token_hash, user_id, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setString(1, SecretToken.hash(token));
      insert.setObject(2, user.value());
      insert.setTimestamp(3, Timestamp.from(now));
      insert.setTimestamp(4, Timestamp.from(now.plus(lifetime)));
      insert.executeUpdate();
    }
    return token;
  }

  /** The user of a live session; empty once it has ended or expired, or for any other token. */
  public Optional<UserId> user(String token) {
    Instant now = clock.instant();
    return transactions.withConnection(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT user_id FROM user_sessions WHERE token_hash = ?"
                      + " AND ended_at IS NULL AND expires_at > ?")) {
            query.setString(1, SecretToken.hash(token));
            query.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(new UserId(rows.getObject(1, UUID.class)))
                  : Optional.empty();
            }
          }
        });
  }

  /** Signs the session out. */
  public void end(String token) {
    Instant now = clock.instant();
    transactions.withConnection(
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE user_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, SecretToken.hash(token));
            return update.executeUpdate();
          }
        });
  }

  /** Ends every session of the user (after a password reset). */
  void endAll(Connection c, UserId user) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE user_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL")) {
      update.setTimestamp(1, Timestamp.from(clock.instant()));
      update.setObject(2, user.value());
      update.executeUpdate();
    }
  }
}
