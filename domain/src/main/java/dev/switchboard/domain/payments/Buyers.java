package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Who may move an organization's money by card or chain: a signed-in member whose role may buy
 * credits (owners and billing members), for buying, refunding and auto top-up alike.
 */
final class Buyers {

  private Buyers() {}

  /**
   * The member acting, when they may buy for the organization.
   *
   * @param refused what the refusal says their role does not allow, e.g. {@code "refunds"}
   * @throws AccountRefusedException NOT_FOUND for a stranger to the organization, FORBIDDEN for a
   *     role (or a management key) that may not
   */
  static Actor.Member member(Connection c, OrganizationId org, Actor actor, String refused)
      throws SQLException {
    Role role = MembershipService.roleOf(c, org, actor);
    if (!role.can(Permission.BUY_CREDITS) || !(actor instanceof Actor.Member member)) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.FORBIDDEN,
          "Your role (" + role.wireName() + ") does not allow " + refused);
    }
    return member;
  }

  /** Whether the actor may buy credits for the organization. */
  static boolean mayBuy(TransactionRunner transactions, Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          try {
            return MembershipService.roleOf(c, org, actor).can(Permission.BUY_CREDITS);
          } catch (AccountRefusedException e) {
            return false;
          }
        });
  }
}
