package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Sends the receipts that crediting a purchase queued ({@link Invoices#issue}), after that
 * transaction committed: a mail server that fails delays a receipt, it never undoes a credit. Each
 * receipt is sent in a transaction of its own that locks its row (others skip it) and marks it
 * sent, so one is sent once however many senders run and however often its webhook is delivered
 * (only a crash between the mail server's acceptance and that commit sends it again); a failed one
 * is tried again later, at most {@link #MAX_ATTEMPTS} times.
 */
public final class Receipts {

  static final int MAX_ATTEMPTS = 8;
  private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
  private static final Duration LAST_RETRY = Duration.ofHours(6);
  private static final int ERROR_LENGTH = 500;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final Logger LOG = Logger.getLogger(Receipts.class.getName());

  private final TransactionRunner transactions;
  private final Mailer mailer;
  private final Clock clock;
  private final String creditsPage;

  /**
   * @param publicUrl the platform's address, whose Credits page the receipts link to
   */
  public Receipts(TransactionRunner transactions, Mailer mailer, Clock clock, String publicUrl) {
    this.transactions = transactions;
    this.mailer = mailer;
    this.clock = clock;
    this.creditsPage = (publicUrl.endsWith("/") ? publicUrl : publicUrl + "/") + "credits";
  }

  /** Sends every receipt that is due now; how many were sent. */
  public int sendDue() {
    int sent = 0;
    while (true) {
      Optional<Boolean> attempt = transactions.acrossTenants(this::sendNext);
      if (attempt.isEmpty()) {
        return sent;
      }
      if (attempt.get()) {
        sent++;
      }
    }
  }

  /** Sends the next due receipt: empty when none is due, else whether it was sent. */
  private Optional<Boolean> sendNext(Connection c) throws SQLException {
    Instant now = clock.instant();
    long id;
    String recipient;
    int attempts;
    InvoiceId invoiceId;
    try (PreparedStatement next =
        c.prepareStatement(
            "SELECT id, recipient, attempts, invoice_id FROM receipt_mails"
                + " WHERE sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?"
                + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
      next.setInt(1, MAX_ATTEMPTS);
      next.setTimestamp(2, Timestamp.from(now));
      try (ResultSet rows = next.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        id = rows.getLong(1);
        recipient = rows.getString(2);
        attempts = rows.getInt(3);
        invoiceId = new InvoiceId(rows.getObject(4, UUID.class));
      }
    }
    Invoice invoice = Invoices.byId(c, invoiceId).orElseThrow();
    try {
      mailer.send(receipt(invoice, recipient, creditsPage));
    } catch (RuntimeException e) {
      Duration wait = retryAfter(attempts + 1);
      LOG.warning(
          "receipt of invoice "
              + invoice.number()
              + " not sent (attempt "
              + (attempts + 1)
              + " of "
              + MAX_ATTEMPTS
              + "): "
              + e.getMessage());
      try (PreparedStatement failed =
          c.prepareStatement(
              "UPDATE receipt_mails SET attempts = attempts + 1, last_error = ?,"
                  + " next_attempt_at = ? WHERE id = ?")) {
        String reason = String.valueOf(e.getMessage());
        failed.setString(
            1, reason.length() > ERROR_LENGTH ? reason.substring(0, ERROR_LENGTH) : reason);
        failed.setTimestamp(2, Timestamp.from(now.plus(wait)));
        failed.setLong(3, id);
        failed.executeUpdate();
      }
      return Optional.of(false);
    }
    try (PreparedStatement sent =
        c.prepareStatement(
            "UPDATE receipt_mails SET attempts = attempts + 1, sent_at = ? WHERE id = ?")) {
      sent.setTimestamp(1, Timestamp.from(clock.instant()));
      sent.setLong(2, id);
      sent.executeUpdate();
    }
    return Optional.of(true);
  }

  /** Doubling waits between attempts, from a minute to at most six hours. */
  static Duration retryAfter(int failedAttempts) {
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
    return wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait;
  }

  /** The receipt of an invoice, to one recipient. */
  static OutgoingMail receipt(Invoice invoice, String recipient, String creditsPage) {
    PurchaseQuote quote = invoice.quote();
    return new OutgoingMail(
        recipient,
        "Your receipt: " + quote.credits() + " of Switchboard credits (" + invoice.number() + ")",
        "Thank you: "
            + quote.credits()
            + " of credits are now in "
            + invoice.organizationName()
            + "'s balance.\n\n"
            + "Credits:         "
            + quote.credits()
            + "\n"
            + "Processing fee:  "
            + quote.fee()
            + "\n"
            + "Total charged:   "
            + quote.total()
            + " ("
            + invoice.currency().toUpperCase(Locale.ROOT)
            + ", "
            + invoice.paymentMethod()
            + ")\n"
            + "Invoice:         "
            + invoice.number()
            + ", issued "
            + MINUTE.format(invoice.issuedAt())
            + "\n\n"
            + "Your purchases and their invoices (PDF) are on the Credits page: "
            + creditsPage
            + "\n");
  }
}
