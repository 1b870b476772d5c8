package dev.switchboard.domain.payments;

import java.time.Instant;
import java.util.Optional;

/**
 * A line of an organization's purchase history: a checkout, where it is, and its invoice once it
 * was credited.
 */
public record PurchaseRecord(
    CheckoutId checkout,
    Instant createdAt,
    PurchaseQuote quote,
    String currency,
    CheckoutState state,
    Optional<InvoiceId> invoice,
    Optional<String> invoiceNumber) {}
