package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An invitation to join an organization (a tenant's row), known by the SHA-256 of its token: from a
 * member or from a management key, pending until it is accepted, ended or expires.
 */
@Entity
@Table(name = "invitations")
class InvitationEntity {

  @Id
  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "org_id")
  private UUID orgId;

  private String email;
  private String role;

  @Column(name = "invited_by")
  private UUID invitedBy;

  @Column(name = "invited_by_key")
  private String invitedByKey;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "accepted_by")
  private UUID acceptedBy;

  @Column(name = "ended_at")
  private Instant endedAt;

  protected InvitationEntity() {}

  InvitationEntity(
      String tokenHash, OrganizationId org, String email, Role role, Actor inviter, Instant now) {
    this.tokenHash = tokenHash;
    this.orgId = org.value();
    this.email = email;
    this.role = role.wireName();
    this.invitedBy = inviter instanceof Actor.Member m ? m.user().value() : null;
    this.invitedByKey = inviter instanceof Actor.ManagementKey k ? k.keyHash() : null;
    this.createdAt = now;
    this.expiresAt = now.plus(MembershipService.INVITATION_LIFETIME);
  }

  boolean isPending(Instant now) {
    return endedAt == null && expiresAt.isAfter(now);
  }

  /** Accepted by {@code user}: it ends. */
  void accept(UserId user, Instant now) {
    acceptedBy = user.value();
    endedAt = now;
  }

  OrganizationId org() {
    return new OrganizationId(orgId);
  }

  String email() {
    return email;
  }

  Role role() {
    return Role.parse(role).orElseThrow();
  }

  /** The member who invited, when a member did. */
  UserId invitedBy() {
    return invitedBy == null ? null : new UserId(invitedBy);
  }

  /** The management key that invited, when one did. */
  String invitedByKey() {
    return invitedByKey;
  }

  Instant expiresAt() {
    return expiresAt;
  }
}
