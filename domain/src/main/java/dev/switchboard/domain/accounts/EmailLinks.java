package dev.switchboard.domain.accounts;

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

/** Single-use links that expire, e-mailed to prove an address or to reset a password. */
final class EmailLinks {

  enum Purpose {
    VERIFY_EMAIL("verify_email"),
    RESET_PASSWORD("reset_password");

    final String column;

    Purpose(String column) {
      this.column = column;
    }
  }

  private final Clock clock;

  EmailLinks(Clock clock) {
    this.clock = clock;
  }

  /** A new link's token (plaintext, to be e-mailed); earlier unused links of that purpose die. */
  String issue(Connection c, UserId user, Purpose purpose, Duration lifetime) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement retire =
        c.prepareStatement(
            "UPDATE email_links SET used_at = ?"
                + " WHERE user_id = ? AND purpose = ? AND used_at IS NULL")) {
      retire.setTimestamp(1, Timestamp.from(now));
      retire.setObject(2, user.value());
      retire.setString(3, purpose.column);
      retire.executeUpdate();
    }
    String token = SecretToken.generate();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO email_links (token_hash, user_id, purpose, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, SecretToken.hash(token));
      insert.setObject(2, user.value());
      insert.setString(3, purpose.column);
      insert.setTimestamp(4, Timestamp.from(now));
      insert.setTimestamp(5, Timestamp.from(now.plus(lifetime)));
      insert.executeUpdate();
    }
    return token;
  }

  /**
   * Uses the link once: the user it was issued to, or empty when it is unknown, of another purpose,
   * already used or expired. Two concurrent uses cannot both succeed (the update is the check).
   */
  Optional<UserId> consume(Connection c, String token, Purpose purpose) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement use =
        c.prepareStatement(
            "UPDATE email_links SET used_at = ? WHERE token_hash = ? AND purpose = ?"
                + " AND used_at IS NULL AND expires_at > ? RETURNING user_id")) {
      use.setTimestamp(1, Timestamp.from(now));
      use.setString(2, SecretToken.hash(token));
      use.setString(3, purpose.column);
      use.setTimestamp(4, Timestamp.from(now));
      try (ResultSet rows = use.executeQuery()) {
        return rows.next()
            ? Optional.of(new UserId(rows.getObject(1, UUID.class)))
            : Optional.empty();
      }
    }
  }
}
