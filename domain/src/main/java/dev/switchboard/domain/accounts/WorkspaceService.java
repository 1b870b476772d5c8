package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.Workspace;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The workspaces of an organization: every member sees them (to put a key in one), owners and
 * admins create them ({@link Permission#MANAGE_WORKSPACES}); names are unique in the organization
 * whatever their case. A stranger is told the organization does not exist.
 */
public final class WorkspaceService {

  private final EntityTransactions transactions;
  private final MembershipRepository memberships = new JpaMembershipRepository();
  private final WorkspaceRepository workspaces = new JpaWorkspaceRepository();
  private final Clock clock;

  public WorkspaceService(EntityTransactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The organization's workspaces, the default one first, then by creation. */
  public List<Workspace> list(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        u -> {
          MembershipService.roleOf(memberships, u, org, actor);
          return workspaces.list(u, org);
        });
  }

  /** One of the organization's workspaces; another organization's is not found. */
  public Optional<Workspace> find(Actor actor, OrganizationId org, UUID id) {
    return transactions.inTenant(
        org,
        u -> {
          MembershipService.roleOf(memberships, u, org, actor);
          return workspaces.find(u, org, id);
        });
  }

  /**
   * A new workspace.
   *
   * @throws AccountRefusedException when the actor may not, the name is not acceptable, or another
   *     workspace of the organization has it
   */
  public Workspace create(Actor actor, OrganizationId org, String nameText) {
    String name = DisplayNames.check(nameText, "the workspace a name");
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        u -> {
          Role role = MembershipService.roleOf(memberships, u, org, actor);
          if (!role.can(Permission.MANAGE_WORKSPACES)) {
            throw AccountRefusedException.forbidden(
                "Your role (" + role.wireName() + ") does not allow creating workspaces");
          }
          return workspaces
              .create(u, org, name, now)
              .orElseThrow(
                  () ->
                      AccountRefusedException.conflict(
                          "There is already a workspace called " + name));
        });
  }
}
