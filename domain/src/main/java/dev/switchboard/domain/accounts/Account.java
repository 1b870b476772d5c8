package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A person's account as stored: a {@link User} and the hash of their password, if they have one.
 */
@Entity
@Table(name = "users")
class Account {

  @Id private UUID id;
  private String email;

  @Column(name = "display_name")
  private String displayName;

  @Column(name = "password_hash")
  private String passwordHash;

  @Column(name = "email_verified_at")
  private Instant emailVerifiedAt;

  @Column(name = "personal_org_id")
  private UUID personalOrgId;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  protected Account() {}

  Account(User user, String passwordHash) {
    this.id = user.id().value();
    this.email = user.email();
    this.displayName = user.displayName();
    this.passwordHash = passwordHash;
    this.personalOrgId = user.personalOrgId().value();
    this.createdAt = user.createdAt();
    this.updatedAt = user.createdAt();
  }

  /** The address proved to be the person's; true the first time. */
  boolean verifyAddress(Instant now) {
    if (emailVerifiedAt != null) {
      return false;
    }
    emailVerifiedAt = now;
    updatedAt = now;
    return true;
  }

  void changePassword(String hash, Instant now) {
    passwordHash = hash;
    updatedAt = now;
  }

  String passwordHash() {
    return passwordHash;
  }

  User asUser() {
    return new User(
        new UserId(id),
        email,
        displayName,
        emailVerifiedAt != null,
        new OrganizationId(personalOrgId),
        createdAt);
  }
}
