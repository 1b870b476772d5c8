package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A user's membership of an organization, with the role held there (a tenant's row). */
@Entity
@Table(name = "memberships")
@IdClass(MembershipEntity.Key.class)
class MembershipEntity {

  /** The membership's key: the organization and the user. */
  public static final class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private UUID orgId;
    private UUID userId;

    public Key() {}

    Key(OrganizationId org, UserId user) {
      this.orgId = org.value();
      this.userId = user.value();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && orgId.equals(k.orgId) && userId.equals(k.userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(orgId, userId);
    }
  }

  @Id
  @Column(name = "org_id")
  private UUID orgId;

  @Id
  @Column(name = "user_id")
  private UUID userId;

  private String role;

  @Column(name = "created_at")
  private Instant createdAt;

  protected MembershipEntity() {}

  MembershipEntity(OrganizationId org, UserId user, Role role, Instant now) {
    this.orgId = org.value();
    this.userId = user.value();
    this.role = role.wireName();
    this.createdAt = now;
  }

  void changeRole(Role newRole) {
    role = newRole.wireName();
  }

  UserId user() {
    return new UserId(userId);
  }

  Role role() {
    return Role.parse(role).orElseThrow();
  }

  Instant joinedAt() {
    return createdAt;
  }
}
