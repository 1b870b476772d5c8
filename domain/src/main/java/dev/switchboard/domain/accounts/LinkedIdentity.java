package dev.switchboard.domain.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An identity at an OpenID Connect provider (issuer and subject) that signs in as a user. */
@Entity
@Table(name = "user_identities")
@IdClass(LinkedIdentity.Key.class)
class LinkedIdentity {

  /** The identity's key: the provider and its name for the person. */
  public static final class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private String issuer;
    private String subject;

    public Key() {}

    Key(String issuer, String subject) {
      this.issuer = issuer;
      this.subject = subject;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && issuer.equals(k.issuer) && subject.equals(k.subject);
    }

    @Override
    public int hashCode() {
      return Objects.hash(issuer, subject);
    }
  }

  @Id private String issuer;
  @Id private String subject;

  @Column(name = "user_id")
  private UUID userId;

  @Column(name = "created_at")
  private Instant createdAt;

  protected LinkedIdentity() {}

  LinkedIdentity(String issuer, String subject, UserId user, Instant now) {
    this.issuer = issuer;
    this.subject = subject;
    this.userId = user.value();
    this.createdAt = now;
  }

  UserId user() {
    return new UserId(userId);
  }
}
