package dev.switchboard.domain.payments;

import dev.switchboard.domain.billing.BillingDetails;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.Locale;

/**
 * The invoice of a credited purchase, as issued: its number in the organization's sequence, the
 * amounts, how it was paid, and whom it is addressed to as they were then.
 *
 * @param sequence the organization's own gapless count of invoices: 1, 2, 3…
 * @param organizationName the organization's name when issued, for an invoice without a legal name
 */
public record Invoice(
    InvoiceId id,
    OrganizationId org,
    long sequence,
    CheckoutId checkout,
    Instant issuedAt,
    PurchaseQuote quote,
    String currency,
    String paymentMethod,
    String organizationName,
    BillingDetails billedTo) {

  /** How card purchases are paid, as invoices say it. */
  public static final String CARD = "Card (Stripe)";

  /**
   * The number people quote: the organization's prefix (the start of its id) and the sequence,
   * {@code SB-3F2A9C1B-00001}, unique across the platform as the pair is.
   */
  public String number() {
    return number(org, sequence);
  }

  static String number(OrganizationId org, long sequence) {
    return String.format(
        Locale.ROOT,
        "SB-%s-%05d",
        org.value().toString().substring(0, 8).toUpperCase(Locale.ROOT),
        sequence);
  }

  /** The name the invoice is addressed to: the legal name, else the organization's. */
  public String billedName() {
    return billedTo.legalName().orElse(organizationName);
  }
}
