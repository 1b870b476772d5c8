package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Memberships and invitations, a tenant's rows: each method acts inside the caller's transaction,
 * which sees only the organizations its {@link dev.switchboard.domain.TenantScope} names.
 */
interface MembershipRepository {

  Optional<Role> roleOf(UnitOfWork u, OrganizationId org, UserId user);

  /**
   * The members by user, oldest first, their memberships locked until the transaction ends (one
   * change at a time).
   */
  Map<UserId, Member> lockedMembers(UnitOfWork u, OrganizationId org);

  void changeRole(UnitOfWork u, OrganizationId org, UserId user, Role role);

  void remove(UnitOfWork u, OrganizationId org, UserId user);

  /** Removes every member (the organization is deleted). */
  void removeAll(UnitOfWork u, OrganizationId org);

  /** Stores the invitation; an earlier pending one of its address to the organization ends. */
  void invite(UnitOfWork u, InvitationEntity invitation, Instant now);

  /** Invitations not yet accepted, ended or expired, oldest first. */
  List<InvitationEntity> pendingInvitations(UnitOfWork u, OrganizationId org, Instant now);

  /** The invitation of a token's hash, locked until the transaction ends when {@code lock}. */
  Optional<InvitationEntity> invitation(UnitOfWork u, String tokenHash, boolean lock);

  /** Ends every pending invitation (the organization is deleted). */
  void endInvitations(UnitOfWork u, OrganizationId org, Instant now);
}
