package dev.switchboard.domain.payments;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A verified provider event that a payment succeeded or failed: the payment, the auto top-up it
 * says it pays (as the charge named it), and its amount, which is only compared with the top-up's
 * record, never credited; for a failed one, why.
 */
public record PaymentIntentEvent(
    String eventId,
    String type,
    String paymentIntentId,
    Optional<String> autoTopUpId,
    OptionalLong amountCents,
    Optional<String> currency,
    Optional<String> failure) {

  public static final String SUCCEEDED = "payment_intent.succeeded";
  public static final String FAILED = "payment_intent.payment_failed";

  /** Whether it says the payment succeeded (else, that it failed). */
  public boolean succeeded() {
    return SUCCEEDED.equals(type);
  }
}
