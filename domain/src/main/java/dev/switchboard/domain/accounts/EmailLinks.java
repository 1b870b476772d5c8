package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
  String issue(UnitOfWork u, UserId user, Purpose purpose, Duration lifetime) {
    Instant now = clock.instant();
    u.entities()
        .createQuery(
            "UPDATE EmailLink l SET l.usedAt = :now"
                + " WHERE l.userId = :user AND l.purpose = :purpose AND l.usedAt IS NULL")
        .setParameter("now", now)
        .setParameter("user", user.value())
        .setParameter("purpose", purpose.column)
        .executeUpdate();
    String token = SecretToken.generate();
    u.entities()
        .persist(new EmailLink(SecretToken.hash(token), user, purpose, now, now.plus(lifetime)));
    return token;
  }

  /**
   * Uses the link once: the user it was issued to, or empty when it is unknown, of another purpose,
   * already used or expired. Two concurrent uses cannot both succeed: the row is locked while it is
   * checked, and the second use finds it used.
   */
  Optional<UserId> consume(UnitOfWork u, String token, Purpose purpose) {
    EmailLink link =
        u.entities().find(EmailLink.class, SecretToken.hash(token), LockModeType.PESSIMISTIC_WRITE);
    return link == null ? Optional.empty() : link.use(purpose, clock.instant());
  }
}
