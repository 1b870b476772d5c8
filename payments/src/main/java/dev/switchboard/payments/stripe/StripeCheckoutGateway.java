package dev.switchboard.payments.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.PaymentMethod;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerPaymentMethodListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Opens a Stripe Checkout session for a checkout record: one line for the credits and one for the
 * fee, in whole cents, the record's id as the session's client reference, and the record's
 * idempotency key on the call, so that a retried call opens the same session.
 */
public final class StripeCheckoutGateway implements CheckoutGateway {

  /** The metadata key of an off-session payment intent that names the auto top-up it pays. */
  static final String AUTO_TOP_UP_METADATA = "switchboard_auto_top_up";

  private static final long NANOS_PER_CENT = 10_000_000L;

  private final StripeClient client;

  public StripeCheckoutGateway(StripeClient client) {
    this.client = client;
  }

  /**
   * A client with the secret key, talking to {@code apiBase} when given (a local fake in tests).
   */
  public static StripeClient client(String secretKey, Optional<String> apiBase) {
    StripeClient.StripeClientBuilder builder =
        StripeClient.builder().setApiKey(secretKey).setMaxNetworkRetries(2);
    apiBase.ifPresent(builder::setApiBase);
    return builder.build();
  }

  @Override
  public OpenedSession open(
      Checkout checkout, ReturnUrls returnUrls, Optional<String> savingCardFor) {
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.PAYMENT)
            .setClientReferenceId(checkout.id().toString())
            .setSuccessUrl(returnUrls.success())
            .setCancelUrl(returnUrls.cancel())
            .putMetadata("switchboard_checkout_id", checkout.id().toString())
            .putMetadata("switchboard_org_id", checkout.org().toString())
            .addLineItem(line(checkout, "Switchboard credits", checkout.quote().credits().nanos()));
    if (checkout.quote().fee().isPositive()) {
      params.addLineItem(line(checkout, "Card payment fee", checkout.quote().fee().nanos()));
    }
    savingCardFor.ifPresent(
        customer ->
            params
                .setCustomer(customer)
                .setPaymentIntentData(
                    SessionCreateParams.PaymentIntentData.builder()
                        .setSetupFutureUsage(
                            SessionCreateParams.PaymentIntentData.SetupFutureUsage.OFF_SESSION)
                        .build()));
    try {
      Session session =
          client
              .checkout()
              .sessions()
              .create(
                  params.build(),
                  RequestOptions.builder().setIdempotencyKey(checkout.idempotencyKey()).build());
      if (session.getId() == null || session.getUrl() == null) {
        throw new PaymentProviderException("Stripe answered without a checkout session", null);
      }
      return new OpenedSession(session.getId(), session.getUrl());
    } catch (StripeException e) {
      // the message is Stripe's, about the request; it never holds the secret key
      throw new PaymentProviderException(
          "Stripe could not open the checkout: " + e.getMessage(), e);
    }
  }

  @Override
  public SessionStatus lookup(String sessionId) {
    try {
      Session session = client.checkout().sessions().retrieve(sessionId);
      return new SessionStatus(
          session.getId(),
          "paid".equals(session.getPaymentStatus()),
          "expired".equals(session.getStatus()),
          session.getAmountTotal() == null
              ? OptionalLong.empty()
              : OptionalLong.of(session.getAmountTotal()),
          Optional.ofNullable(session.getCurrency()),
          Optional.ofNullable(session.getPaymentIntent()));
    } catch (StripeException e) {
      throw failure("Stripe could not say how the checkout is", e);
    }
  }

  @Override
  public String refund(String paymentIntentId, long amountCents, String idempotencyKey) {
    try {
      Refund refund =
          client
              .refunds()
              .create(
                  RefundCreateParams.builder()
                      .setPaymentIntent(paymentIntentId)
                      .setAmount(amountCents)
                      .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                      .build(),
                  RequestOptions.builder().setIdempotencyKey(idempotencyKey).build());
      if ("failed".equals(refund.getStatus()) || "canceled".equals(refund.getStatus())) {
        throw new PaymentProviderException(
            "Stripe did not make the refund (" + refund.getStatus() + ")", null, true);
      }
      return refund.getId();
    } catch (StripeException e) {
      throw failure("Stripe could not make the refund", e);
    }
  }

  @Override
  public String customer(OrganizationId org, String idempotencyKey) {
    try {
      return client
          .customers()
          .create(
              CustomerCreateParams.builder()
                  .setDescription("Switchboard organization " + org)
                  .putMetadata("switchboard_org_id", org.toString())
                  .build(),
              RequestOptions.builder().setIdempotencyKey(idempotencyKey).build())
          .getId();
    } catch (StripeException e) {
      throw failure("Stripe could not make the customer", e);
    }
  }

  /**
   * Charges the customer's saved card (the latest one) off-session and confirms at once. A declined
   * card (Stripe's card error, or a payment that needs the cardholder, who is not there) is an
   * answer; a payment still processing is not yet one, and is asked again under the same key (and
   * settled by its {@code payment_intent.*} event, which names the top-up by {@link
   * #AUTO_TOP_UP_METADATA}).
   */
  @Override
  public SavedCardCharge chargeSavedCard(
      String customerId, long totalCents, String idempotencyKey, UUID topUpId, String description) {
    try {
      List<PaymentMethod> cards =
          client
              .customers()
              .paymentMethods()
              .list(
                  customerId,
                  CustomerPaymentMethodListParams.builder()
                      .setType(CustomerPaymentMethodListParams.Type.CARD)
                      .setLimit(1L)
                      .build())
              .getData();
      if (cards.isEmpty()) {
        return new SavedCardCharge(Optional.empty(), false, "No card is saved for auto top-up");
      }
      PaymentIntent intent =
          client
              .paymentIntents()
              .create(
                  PaymentIntentCreateParams.builder()
                      .setAmount(totalCents)
                      .setCurrency("usd")
                      .setCustomer(customerId)
                      .setPaymentMethod(cards.get(0).getId())
                      .setOffSession(true)
                      .setConfirm(true)
                      .setDescription(description)
                      .putMetadata(AUTO_TOP_UP_METADATA, topUpId.toString())
                      .build(),
                  RequestOptions.builder().setIdempotencyKey(idempotencyKey).build());
      return switch (String.valueOf(intent.getStatus())) {
        case "succeeded" -> new SavedCardCharge(Optional.of(intent.getId()), true, "");
        case "requires_payment_method", "requires_action", "canceled" ->
            new SavedCardCharge(
                Optional.of(intent.getId()),
                false,
                "The card needs the cardholder to confirm the payment ("
                    + intent.getStatus()
                    + ")");
        default ->
            throw new PaymentProviderException(
                "The payment is " + intent.getStatus() + " at Stripe", null, false);
      };
    } catch (CardException e) {
      String message = e.getStripeError() == null ? null : e.getStripeError().getMessage();
      return new SavedCardCharge(
          Optional.empty(), false, message == null ? "The card was declined" : message);
    } catch (StripeException e) {
      throw failure("Stripe could not charge the saved card", e);
    }
  }

  /**
   * A Stripe error as the domain needs it: refused when Stripe answered that it will not (a 4xx
   * about the request itself), unknown when it may still have done it (no answer, a 5xx, a rate
   * limit, or an idempotency key still being used by the first try).
   */
  private static PaymentProviderException failure(String what, StripeException e) {
    Integer status = e.getStatusCode();
    boolean refused =
        status != null && status >= 400 && status < 500 && status != 409 && status != 429;
    // the message is Stripe's, about the request; it never holds the secret key
    return new PaymentProviderException(what + ": " + e.getMessage(), e, refused);
  }

  private static SessionCreateParams.LineItem line(Checkout checkout, String name, long nanos) {
    return SessionCreateParams.LineItem.builder()
        .setQuantity(1L)
        .setPriceData(
            SessionCreateParams.LineItem.PriceData.builder()
                .setCurrency(checkout.currency())
                .setUnitAmount(nanos / NANOS_PER_CENT)
                .setProductData(
                    SessionCreateParams.LineItem.PriceData.ProductData.builder()
                        .setName(name)
                        .build())
                .build())
        .build();
  }
}
