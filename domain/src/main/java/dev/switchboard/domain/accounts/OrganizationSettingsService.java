package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An organization's own settings: its name, and whether its members must sign in through single
 * sign-on. Reading them needs membership; changing them {@link Permission#MANAGE_SETTINGS};
 * deleting the organization {@link Permission#DELETE_ORGANIZATION}.
 */
public final class OrganizationSettingsService {

  private final EntityTransactions transactions;
  private final UserRepository users;
  private final Clock clock;
  private final MembershipRepository memberships = new JpaMembershipRepository();

  public OrganizationSettingsService(
      EntityTransactions transactions, UserRepository users, Clock clock) {
    this.transactions = transactions;
    this.users = users;
    this.clock = clock;
  }

  /** The settings, for a member; anyone else is told the organization does not exist. */
  public OrganizationSettings settings(UserId actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          MembershipService.roleOf(memberships, u, org, Actor.member(actor));
          return read(c, org);
        });
  }

  /**
   * Renames the organization.
   *
   * @throws AccountRefusedException when the actor may not or the name is not acceptable
   */
  public OrganizationSettings rename(UserId actor, OrganizationId org, String nameText) {
    String name = DisplayNames.check(nameText, "the organization a name");
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          MembershipService.require(
              MembershipService.roleOf(memberships, u, org, Actor.member(actor)),
              Permission.MANAGE_SETTINGS);
          try (PreparedStatement update =
              c.prepareStatement("UPDATE organizations SET name = ? WHERE id = ?")) {
            update.setString(1, name);
            update.setObject(2, org.value());
            update.executeUpdate();
          }
          return read(c, org);
        });
  }

  /**
   * Requires single sign-on of every member, or stops requiring it. A personal organization cannot
   * require it (it is no team's policy), and the actor must be able to sign in through single
   * sign-on themselves, so that nobody locks themselves out.
   *
   * @throws AccountRefusedException when the actor may not, or either rule above refuses it
   */
  public OrganizationSettings requireSingleSignOn(
      UserId actor, OrganizationId org, boolean required) {
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          MembershipService.require(
              MembershipService.roleOf(memberships, u, org, Actor.member(actor)),
              Permission.MANAGE_SETTINGS);
          if (required && MembershipService.isPersonal(c, org)) {
            throw new AccountRefusedException(
                "A personal organization cannot require single sign-on: it is a rule for a"
                    + " team organization's members");
          }
          if (required && !users.hasIdentity(u, actor)) {
            throw new AccountRefusedException(
                "Sign in with SSO once yourself before requiring it, so that you are not locked"
                    + " out");
          }
          try (PreparedStatement update =
              c.prepareStatement("UPDATE organizations SET require_sso = ? WHERE id = ?")) {
            update.setBoolean(1, required);
            update.setObject(2, org.value());
            update.executeUpdate();
          }
          return read(c, org);
        });
  }

  /**
   * Deletes a team organization, confirmed by typing its name: its keys are deleted (they stop
   * authenticating), its members removed and its pending invitations ended, so nobody reaches it
   * again. What it still held in credits is forfeited; its ledger and usage history stay.
   *
   * @return the hashes of the keys deleted, for the gateway's key cache
   * @throws AccountRefusedException when the actor may not, the name does not match, or it is the
   *     actor's personal organization
   */
  public List<String> delete(UserId actor, OrganizationId org, String typedName) {
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          MembershipService.require(
              MembershipService.roleOf(memberships, u, org, Actor.member(actor)),
              Permission.DELETE_ORGANIZATION);
          OrganizationSettings current = read(c, org);
          if (current.personal()) {
            throw AccountRefusedException.conflict(
                "A personal organization goes only with its account: it cannot be deleted");
          }
          if (typedName == null || !typedName.strip().equals(current.name())) {
            throw new AccountRefusedException(
                "Type the organization's name, " + current.name() + ", to delete it");
          }
          List<String> keys = new ArrayList<>();
          try (PreparedStatement delete =
              c.prepareStatement(
                  "UPDATE api_keys SET deleted_at = ?, updated_at = ?"
                      + " WHERE org_id = ? AND deleted_at IS NULL RETURNING hash")) {
            delete.setTimestamp(1, Timestamp.from(now));
            delete.setTimestamp(2, Timestamp.from(now));
            delete.setObject(3, org.value());
            try (ResultSet rows = delete.executeQuery()) {
              while (rows.next()) {
                keys.add(rows.getString(1));
              }
            }
          }
          KeyChange.announceKeys(c, keys);
          // its own provider keys go with it: nothing can route with them any more
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM provider_keys WHERE org_id = ?")) {
            delete.setObject(1, org.value());
            delete.executeUpdate();
          }
          memberships.endInvitations(u, org, now);
          memberships.removeAll(u, org);
          try (PreparedStatement mark =
              c.prepareStatement("UPDATE organizations SET deleted_at = ? WHERE id = ?")) {
            mark.setTimestamp(1, Timestamp.from(now));
            mark.setObject(2, org.value());
            mark.executeUpdate();
          }
          return keys;
        });
  }

  private static OrganizationSettings read(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT id, name, is_personal, require_sso FROM organizations WHERE id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return new OrganizationSettings(
            new OrganizationId(rows.getObject(1, UUID.class)),
            rows.getString(2),
            rows.getBoolean(3),
            rows.getBoolean(4));
      }
    }
  }
}
