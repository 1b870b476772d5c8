package dev.switchboard.domain.payments;

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
}
