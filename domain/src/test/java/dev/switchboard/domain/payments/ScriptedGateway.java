package dev.switchboard.domain.payments;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A payment provider for the domain's tests (the payments module drives the real SDK against a fake
 * Stripe): sessions it opened, their status as the test sets it, and refunds it made, answered once
 * per idempotency key as the provider does; it can refuse or fail to answer.
 */
final class ScriptedGateway implements CheckoutGateway {

  /** How the next calls go. */
  enum Mode {
    ANSWER,
    REFUSE,
    UNREACHABLE
  }

  record RefundCall(String paymentIntentId, long amountCents, String idempotencyKey) {}

  record ChargeCall(String customerId, long totalCents, String idempotencyKey, UUID topUpId) {}

  final List<ChargeCall> chargeCalls = new CopyOnWriteArrayList<>();
  final Map<String, String> customers = new ConcurrentHashMap<>();
  private final Map<String, String> paymentByKey = new ConcurrentHashMap<>();

  /** Whether the saved card is declined (an answer, not a failure). */
  volatile boolean declining;

  /**
   * Whether a charge of a saved card is left processing: the payment is made, and its outcome
   * unknown until its event says it (an unknown outcome for the caller).
   */
  volatile boolean processing;

  private final Map<UUID, String> paymentByTopUp = new ConcurrentHashMap<>();

  final Map<String, SessionStatus> sessions = new ConcurrentHashMap<>();
  final List<RefundCall> refundCalls = new CopyOnWriteArrayList<>();
  final List<String> lookups = new CopyOnWriteArrayList<>();
  private final Map<String, String> refundByKey = new ConcurrentHashMap<>();
  volatile Mode mode = Mode.ANSWER;

  @Override
  public OpenedSession open(
      Checkout checkout, ReturnUrls returnUrls, Optional<String> savingCardFor) {
    if (mode != Mode.ANSWER) {
      throw new PaymentProviderException("the provider is unreachable", null);
    }
    String id = "cs_" + UUID.randomUUID();
    sessions.put(id, status(id, false, false, checkout.quote().totalCents()));
    return new OpenedSession(id, "https://pay.test/" + id);
  }

  @Override
  public SessionStatus lookup(String sessionId) {
    lookups.add(sessionId);
    if (mode == Mode.UNREACHABLE) {
      throw new PaymentProviderException("the provider is unreachable", null);
    }
    SessionStatus status = sessions.get(sessionId);
    if (status == null) {
      throw new PaymentProviderException("No such checkout.session", null, true);
    }
    return status;
  }

  @Override
  public String refund(String paymentIntentId, long amountCents, String idempotencyKey) {
    refundCalls.add(new RefundCall(paymentIntentId, amountCents, idempotencyKey));
    switch (mode) {
      case REFUSE -> throw new PaymentProviderException("charge_already_refunded", null, true);
      case UNREACHABLE -> throw new PaymentProviderException("the provider is unreachable", null);
      default -> {
        return refundByKey.computeIfAbsent(idempotencyKey, key -> "re_" + UUID.randomUUID());
      }
    }
  }

  @Override
  public String customer(OrganizationId org, String idempotencyKey) {
    if (mode != Mode.ANSWER) {
      throw new PaymentProviderException("the provider is unreachable", null);
    }
    return customers.computeIfAbsent(idempotencyKey, key -> "cus_" + UUID.randomUUID());
  }

  @Override
  public SavedCardCharge chargeSavedCard(
      String customerId, long totalCents, String idempotencyKey, UUID topUpId, String description) {
    chargeCalls.add(new ChargeCall(customerId, totalCents, idempotencyKey, topUpId));
    if (mode == Mode.UNREACHABLE) {
      throw new PaymentProviderException("the provider is unreachable", null);
    }
    if (declining) {
      return new SavedCardCharge(Optional.empty(), false, "Your card was declined.");
    }
    String payment = paymentByKey.computeIfAbsent(idempotencyKey, key -> "pi_" + UUID.randomUUID());
    paymentByTopUp.put(topUpId, payment);
    if (processing) {
      throw new PaymentProviderException("The payment is processing at the provider", null);
    }
    return new SavedCardCharge(Optional.of(payment), true, "");
  }

  /** The payment a charge of the top-up made. */
  String paymentOfTopUp(UUID topUpId) {
    String payment = paymentByTopUp.get(topUpId);
    if (payment == null) {
      throw new IllegalArgumentException("no charge of top-up " + topUpId);
    }
    return payment;
  }

  /**
   * Marks the session paid (by its payment intent {@code pi_<session>}), as the provider sees it.
   */
  void paid(String sessionId) {
    SessionStatus was = sessions.get(sessionId);
    sessions.put(sessionId, status(sessionId, true, false, was.amountTotalCents().getAsLong()));
  }

  void expired(String sessionId) {
    SessionStatus was = sessions.get(sessionId);
    sessions.put(sessionId, status(sessionId, false, true, was.amountTotalCents().getAsLong()));
  }

  static String paymentIntentOf(String sessionId) {
    return "pi_" + sessionId;
  }

  private static SessionStatus status(String id, boolean paid, boolean expired, long cents) {
    return new SessionStatus(
        id,
        paid,
        expired,
        OptionalLong.of(cents),
        Optional.of("usd"),
        paid ? Optional.of(paymentIntentOf(id)) : Optional.empty());
  }
}
