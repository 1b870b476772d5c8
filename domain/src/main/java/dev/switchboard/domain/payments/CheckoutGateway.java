package dev.switchboard.domain.payments;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** The payment provider's hosted checkout, as the purchase service needs it. */
public interface CheckoutGateway {

  /** The provider's session for a checkout, and where the member pays it. */
  record OpenedSession(String sessionId, String url) {}

  /** Where the provider sends the member back: after paying, and after giving up. */
  record ReturnUrls(String success, String cancel) {}

  /**
   * Opens the provider's session for {@code checkout}, carrying its idempotency key, so that a
   * repeated call opens the same session; with {@code savingCardFor} (a customer id) the card paid
   * with is kept on that customer for auto top-up.
   *
   * @throws PaymentProviderException when the provider cannot be reached or refuses
   */
  OpenedSession open(Checkout checkout, ReturnUrls returnUrls, Optional<String> savingCardFor);

  /**
   * The provider's customer for an organization, created under {@code idempotencyKey} so that a
   * repeated call makes no second one; a checkout that saves its card saves it on this customer.
   *
   * @throws PaymentProviderException when the provider cannot be reached or refuses
   */
  String customer(OrganizationId org, String idempotencyKey);

  /** What charging a saved card did: paid (with the payment's id), or declined and why. */
  record SavedCardCharge(Optional<String> paymentIntentId, boolean succeeded, String failure) {}

  /**
   * Charges {@code totalCents} to the customer's saved card, off-session, under {@code
   * idempotencyKey}, for the auto top-up {@code topUpId}: the payment carries that id, so that the
   * provider's later events about it ({@link PaymentIntentEvent}) name the top-up.
   *
   * @throws PaymentProviderException when the outcome is unknown (no answer, or a payment still
   *     processing), or refused for a customer without a saved card; a declined card is an answer,
   *     not an exception
   */
  SavedCardCharge chargeSavedCard(
      String customerId, long totalCents, String idempotencyKey, UUID topUpId, String description);

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
