package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.billing.BillingDetails;
import dev.switchboard.domain.billing.BillingDetailsService;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Invoices of card purchases and the purchase history they appear in. An invoice is issued by the
 * transaction that credits its checkout ({@link #issue}), numbered in its organization's own
 * gapless sequence, with a copy of the billing details as they are then; the same transaction
 * queues its receipts for {@link Receipts} to send after it commits.
 */
public final class Invoices {

  private static final String COLUMNS =
      "SELECT i.id, i.org_id, i.number, i.checkout_id, i.issued_at, i.credits_nanos, i.fee_nanos,"
          + " i.total_nanos, i.currency, i.payment_method, i.organization_name, i.legal_name,"
          + " i.address_line1, i.address_line2, i.country, i.tax_id, i.billing_email"
          + " FROM invoices i";

  private final TransactionRunner transactions;

  public Invoices(TransactionRunner transactions) {
    this.transactions = transactions;
  }

  /**
   * The organization's purchases, newest first, for a member who may see its credits.
   *
   * @throws AccountRefusedException not found for a stranger, forbidden without {@link
   *     Permission#VIEW_CREDITS}
   */
  public List<PurchaseRecord> history(Actor actor, OrganizationId org, int offset, int limit) {
    return transactions.inTenant(
        org,
        c -> {
          requireViewCredits(c, org, actor);
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT s.id, s.created_at, s.credits_nanos, s.fee_nanos, s.total_nanos,"
                      + " s.currency, s.state, i.id, i.number FROM stripe_checkouts s"
                      + " LEFT JOIN invoices i ON i.checkout_id = s.id"
                      + " WHERE s.org_id = ? ORDER BY s.created_at DESC, s.id OFFSET ? LIMIT ?")) {
            query.setObject(1, org.value());
            query.setInt(2, offset);
            query.setInt(3, limit);
            List<PurchaseRecord> lines = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                Optional<InvoiceId> invoice =
                    Optional.ofNullable(rows.getObject(8, UUID.class)).map(InvoiceId::new);
                long sequence = rows.getLong(9);
                lines.add(
                    new PurchaseRecord(
                        new CheckoutId(rows.getObject(1, UUID.class)),
                        rows.getTimestamp(2).toInstant(),
                        new PurchaseQuote(
                            Credits.ofNanos(rows.getLong(3)),
                            Credits.ofNanos(rows.getLong(4)),
                            Credits.ofNanos(rows.getLong(5))),
                        rows.getString(6),
                        CheckoutState.ofColumn(rows.getString(7)),
                        invoice,
                        invoice.map(id -> Invoice.number(org, sequence))));
              }
            }
            return lines;
          }
        });
  }

  /**
   * One of the organization's invoices; empty for an unknown id, another organization's, or a
   * stranger to the organization.
   *
   * @throws AccountRefusedException forbidden for a member without {@link Permission#VIEW_CREDITS}
   */
  public Optional<Invoice> find(Actor actor, OrganizationId org, InvoiceId id) {
    return transactions.inTenant(
        org,
        c -> {
          try {
            requireViewCredits(c, org, actor);
          } catch (AccountRefusedException e) {
            if (e.reason() == AccountRefusedException.Reason.NOT_FOUND) {
              return Optional.empty();
            }
            throw e;
          }
          try (PreparedStatement query =
              c.prepareStatement(COLUMNS + " WHERE i.org_id = ? AND i.id = ?")) {
            query.setObject(1, org.value());
            query.setObject(2, id.value());
            return read(query);
          }
        });
  }

  /** An invoice, in the caller's transaction (scoped to its organization, or across tenants). */
  static Optional<Invoice> byId(Connection c, InvoiceId id) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(COLUMNS + " WHERE i.id = ?")) {
      query.setObject(1, id.value());
      return read(query);
    }
  }

  /**
   * Issues the invoice of a checkout being credited, inside the crediting transaction, and queues
   * its receipts: to the member who bought, and to the billing e-mail when one is set. The number
   * is the next of the organization's counter, whose row the upsert locks until the transaction
   * ends, so concurrent credits of one organization take consecutive numbers and a rolled-back one
   * takes none.
   */
  static Invoice issue(Connection c, Checkout checkout, Instant at) throws SQLException {
    OrganizationId org = checkout.org();
    long sequence;
    try (PreparedStatement next =
        c.prepareStatement(
            "INSERT INTO invoice_counters (org_id, last_number) VALUES (?, 1)"
                + " ON CONFLICT (org_id) DO UPDATE SET last_number = invoice_counters.last_number + 1"
                + " RETURNING last_number")) {
      next.setObject(1, org.value());
      try (ResultSet rows = next.executeQuery()) {
        rows.next();
        sequence = rows.getLong(1);
      }
    }
    BillingDetails billedTo = BillingDetailsService.read(c, org);
    Invoice invoice =
        new Invoice(
            InvoiceId.newId(),
            org,
            sequence,
            checkout.id(),
            at,
            checkout.quote(),
            checkout.currency(),
            Invoice.CARD,
            organizationName(c, org),
            billedTo);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO invoices (id, org_id, number, checkout_id, issued_at, credits_nanos,"
                + " fee_nanos, total_nanos, currency, payment_method, organization_name,"
                + " legal_name, address_line1, address_line2, country, tax_id, billing_email)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setObject(1, invoice.id().value());
      insert.setObject(2, org.value());
      insert.setLong(3, sequence);
      insert.setObject(4, checkout.id().value());
      insert.setTimestamp(5, Timestamp.from(at));
      insert.setLong(6, invoice.quote().credits().nanos());
      insert.setLong(7, invoice.quote().fee().nanos());
      insert.setLong(8, invoice.quote().total().nanos());
      insert.setString(9, invoice.currency());
      insert.setString(10, invoice.paymentMethod());
      insert.setString(11, invoice.organizationName());
      List<Optional<String>> parts =
          List.of(
              billedTo.legalName(),
              billedTo.addressLine1(),
              billedTo.addressLine2(),
              billedTo.country(),
              billedTo.taxId(),
              billedTo.billingEmail());
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).isPresent()) {
          insert.setString(12 + i, parts.get(i).get());
        } else {
          insert.setNull(12 + i, Types.VARCHAR);
        }
      }
      insert.executeUpdate();
    }
    Set<String> recipients = new LinkedHashSet<>();
    recipients.add(buyerEmail(c, checkout));
    billedTo.billingEmail().ifPresent(recipients::add);
    try (PreparedStatement queue =
        c.prepareStatement(
            "INSERT INTO receipt_mails (org_id, invoice_id, recipient, created_at,"
                + " next_attempt_at) VALUES (?, ?, ?, ?, ?)")) {
      for (String recipient : recipients) {
        queue.setObject(1, org.value());
        queue.setObject(2, invoice.id().value());
        queue.setString(3, recipient);
        queue.setTimestamp(4, Timestamp.from(at));
        queue.setTimestamp(5, Timestamp.from(at));
        queue.addBatch();
      }
      queue.executeBatch();
    }
    return invoice;
  }

  private static void requireViewCredits(Connection c, OrganizationId org, Actor actor)
      throws SQLException {
    Role role = MembershipService.roleOf(c, org, actor);
    if (!role.can(Permission.VIEW_CREDITS)) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.FORBIDDEN,
          "Your role (" + role.wireName() + ") does not show purchases and invoices");
    }
  }

  private static String organizationName(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT name FROM organizations WHERE id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  private static String buyerEmail(Connection c, Checkout checkout) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT email FROM users WHERE id = ?")) {
      query.setObject(1, checkout.createdBy().value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  private static Optional<Invoice> read(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Invoice(
              new InvoiceId(rows.getObject(1, UUID.class)),
              new OrganizationId(rows.getObject(2, UUID.class)),
              rows.getLong(3),
              new CheckoutId(rows.getObject(4, UUID.class)),
              rows.getTimestamp(5).toInstant(),
              new PurchaseQuote(
                  Credits.ofNanos(rows.getLong(6)),
                  Credits.ofNanos(rows.getLong(7)),
                  Credits.ofNanos(rows.getLong(8))),
              rows.getString(9),
              rows.getString(10),
              rows.getString(11),
              new BillingDetails(
                  Optional.ofNullable(rows.getString(12)),
                  Optional.ofNullable(rows.getString(13)),
                  Optional.ofNullable(rows.getString(14)),
                  Optional.ofNullable(rows.getString(15)),
                  Optional.ofNullable(rows.getString(16)),
                  Optional.ofNullable(rows.getString(17)))));
    }
  }
}
