package dev.switchboard.domain.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An e-mailed single-use link, known by the SHA-256 of its token. */
@Entity
@Table(name = "email_links")
class EmailLink {

  @Id
  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "user_id")
  private UUID userId;

  private String purpose;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "used_at")
  private Instant usedAt;

  protected EmailLink() {}

  EmailLink(
      String tokenHash, UserId user, EmailLinks.Purpose purpose, Instant now, Instant expires) {
    this.tokenHash = tokenHash;
    this.userId = user.value();
    this.purpose = purpose.column;
    this.createdAt = now;
    this.expiresAt = expires;
  }

  /** Uses the link: the user it was issued to, unless it is of another purpose, used or expired. */
  Optional<UserId> use(EmailLinks.Purpose expected, Instant now) {
    if (!purpose.equals(expected.column) || usedAt != null || !expiresAt.isAfter(now)) {
      return Optional.empty();
    }
    usedAt = now;
    return Optional.of(new UserId(userId));
  }
}
