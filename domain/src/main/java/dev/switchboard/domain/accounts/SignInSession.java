package dev.switchboard.domain.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A signed-in session, known by the SHA-256 of its token, from its start until it ends. */
@Entity
@Table(name = "user_sessions")
class SignInSession {

  @Id
  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "user_id")
  private UUID userId;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "ended_at")
  private Instant endedAt;

  protected SignInSession() {}

  SignInSession(String tokenHash, UserId user, Instant now, Instant expiresAt) {
    this.tokenHash = tokenHash;
    this.userId = user.value();
    this.createdAt = now;
    this.expiresAt = expiresAt;
  }

  boolean isLive(Instant now) {
    return endedAt == null && expiresAt.isAfter(now);
  }

  /** Signed out (or ended by a password reset); once. */
  void end(Instant now) {
    if (endedAt == null) {
      endedAt = now;
    }
  }

  UserId user() {
    return new UserId(userId);
  }
}
