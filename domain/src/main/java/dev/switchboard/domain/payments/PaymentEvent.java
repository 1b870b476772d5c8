package dev.switchboard.domain.payments;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a verified provider event says about a checkout session: its id and type, the session, and
 * whether it is paid, and the payment intent that paid it. The amount it names is only compared
 * with Switchboard's record, never credited.
 */
public record PaymentEvent(
    String eventId,
    String type,
    Optional<String> sessionId,
    Optional<String> clientReferenceId,
    boolean paid,
    OptionalLong amountTotalCents,
    Optional<String> currency,
    Optional<String> paymentIntentId) {

  /** An event of a type that credits nothing, recorded so that it is seen once. */
  public static PaymentEvent other(String eventId, String type) {
    return new PaymentEvent(
        eventId,
        type,
        Optional.empty(),
        Optional.empty(),
        false,
        OptionalLong.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
