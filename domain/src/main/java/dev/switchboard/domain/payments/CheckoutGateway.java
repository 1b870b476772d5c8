package dev.switchboard.domain.payments;

import java.util.Optional;
import java.util.OptionalLong;

/** The payment provider's hosted checkout, as the purchase service needs it. */
public interface CheckoutGateway {

  /** The provider's session for a checkout, and where the member pays it. */
  record OpenedSession(String sessionId, String url) {}

  /** Where the provider sends the member back: after paying, and after giving up. */
  record ReturnUrls(String success, String cancel) {}

  /**
   * Opens the provider's session for {@code checkout}, carrying its idempotency key, so that a
   * repeated call opens the same session.
   *
   * @throws PaymentProviderException when the provider cannot be reached or refuses
   */
  OpenedSession open(Checkout checkout, ReturnUrls returnUrls);

  /** What the provider says of a session now: whether it is paid or expired, and for how much. */
  record SessionStatus(
      String sessionId,
      boolean paid,
      boolean expired,
      OptionalLong amountTotalCents,
      Optional<String> currency,
      Optional<String> paymentIntentId) {}

  /**
   * Asks the provider about a session (the reconciler, for a checkout whose webhook never came).
   *
   * @throws PaymentProviderException when the provider cannot be reached or does not know it
   */
  SessionStatus lookup(String sessionId);

  /**
   * Refunds {@code amountCents} of what {@code paymentIntentId} charged, carrying {@code
   * idempotencyKey} so that a repeated call makes no second refund.
   *
   * @return the provider's id of the refund
   * @throws PaymentProviderException when the provider refused ({@link
   *     PaymentProviderException#refused()}) or could not be reached, so the outcome is unknown
   */
  String refund(String paymentIntentId, long amountCents, String idempotencyKey);
}
