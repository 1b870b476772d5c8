package dev.switchboard.domain.billing;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * An organization's billing details: members who see its credits ({@link Permission#VIEW_CREDITS})
 * read them, owners and billing members ({@link Permission#MANAGE_BILLING_DETAILS}) change them.
 */
public final class BillingDetailsService {

  private final TransactionRunner transactions;
  private final Clock clock;

  public BillingDetailsService(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * The organization's details ({@link BillingDetails#NONE} until some are given).
   *
   * @throws AccountRefusedException not found for a stranger, forbidden for a role without {@link
   *     Permission#VIEW_CREDITS} or {@link Permission#MANAGE_BILLING_DETAILS}
   */
  public BillingDetails details(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          Role role = MembershipService.roleOf(c, org, actor);
          if (!role.can(Permission.VIEW_CREDITS) && !role.can(Permission.MANAGE_BILLING_DETAILS)) {
            throw new AccountRefusedException(
                AccountRefusedException.Reason.FORBIDDEN,
                "Your role (" + role.wireName() + ") does not show the billing details");
          }
          return read(c, org);
        });
  }

  /**
   * Replaces the organization's details; the invoices issued so far keep the ones they were issued
   * with.
   *
   * @throws AccountRefusedException not found for a stranger, forbidden for a role without {@link
   *     Permission#MANAGE_BILLING_DETAILS} and for a management key
   */
  public BillingDetails change(Actor actor, OrganizationId org, BillingDetails details) {
    return transactions.inTenant(
        org,
        c -> {
          Role role = MembershipService.roleOf(c, org, actor);
          if (!role.can(Permission.MANAGE_BILLING_DETAILS)
              || !(actor instanceof Actor.Member member)) {
            throw new AccountRefusedException(
                AccountRefusedException.Reason.FORBIDDEN,
                "Your role (" + role.wireName() + ") does not allow changing the billing details");
          }
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO billing_details (org_id, legal_name, address_line1, address_line2,"
                      + " country, tax_id, billing_email, updated_by, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET"
                      + " legal_name = excluded.legal_name, address_line1 = excluded.address_line1,"
                      + " address_line2 = excluded.address_line2, country = excluded.country,"
                      + " tax_id = excluded.tax_id, billing_email = excluded.billing_email,"
                      + " updated_by = excluded.updated_by, updated_at = excluded.updated_at")) {
            upsert.setObject(1, org.value());
            List<Optional<String>> parts =
                List.of(
                    details.legalName(),
                    details.addressLine1(),
                    details.addressLine2(),
                    details.country(),
                    details.taxId(),
                    details.billingEmail());
            for (int i = 0; i < parts.size(); i++) {
              if (parts.get(i).isPresent()) {
                upsert.setString(2 + i, parts.get(i).get());
              } else {
                upsert.setNull(2 + i, Types.VARCHAR);
              }
            }
            upsert.setObject(8, member.user().value());
            upsert.setTimestamp(9, Timestamp.from(clock.instant()));
            upsert.executeUpdate();
          }
          return read(c, org);
        });
  }

  /** The details inside the caller's transaction, which is in the organization's tenant scope. */
  public static BillingDetails read(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT legal_name, address_line1, address_line2, country, tax_id, billing_email"
                + " FROM billing_details WHERE org_id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return BillingDetails.NONE;
        }
        return new BillingDetails(
            Optional.ofNullable(rows.getString(1)),
            Optional.ofNullable(rows.getString(2)),
            Optional.ofNullable(rows.getString(3)),
            Optional.ofNullable(rows.getString(4)),
            Optional.ofNullable(rows.getString(5)),
            Optional.ofNullable(rows.getString(6)));
      }
    }
  }
}
