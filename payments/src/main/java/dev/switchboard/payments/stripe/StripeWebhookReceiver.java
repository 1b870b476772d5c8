package dev.switchboard.payments.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import dev.switchboard.domain.payments.AutoTopUps;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.ChargeRefundedEvent;
import dev.switchboard.domain.payments.DisputeEvent;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.domain.payments.PaymentEvent;
import dev.switchboard.domain.payments.PaymentIntentEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Stripe's webhook deliveries: the signature is verified by the SDK (timestamp within {@link
 * #TOLERANCE_SECONDS} of our clock, against each configured secret in turn, so that two are
 * accepted while one is rotated), and a verified event is handed to {@link CardPurchases}, or, for
 * a payment intent's success or failure (an auto top-up's off-session charge), to {@link
 * AutoTopUps}. A delivery that does not verify or does not parse is rejected before anything is
 * written.
 */
public final class StripeWebhookReceiver {

  public static final long TOLERANCE_SECONDS = 300;

  /** The events that may say a checkout session is paid. */
  static final Set<String> CHECKOUT_EVENTS =
      Set.of("checkout.session.completed", "checkout.session.async_payment_succeeded");

  static final String CHARGE_REFUNDED = "charge.refunded";

  /** The events that settle an auto top-up's payment. */
  static final Set<String> PAYMENT_INTENT_EVENTS =
      Set.of(PaymentIntentEvent.SUCCEEDED, PaymentIntentEvent.FAILED);

  /** The dispute events that move money; other dispute events are recorded and change nothing. */
  static final Set<String> DISPUTE_EVENTS = Set.of(DisputeEvent.OPENED, DisputeEvent.CLOSED);

  private static final Logger LOG = Logger.getLogger(StripeWebhookReceiver.class.getName());

  /** What became of a delivery. */
  public sealed interface Receipt {}

  /** A verified event, and what receiving it did (a duplicate changed nothing). */
  public record Accepted(String eventId, EventOutcome outcome) implements Receipt {}

  /** A delivery refused as it came: bad or missing signature, stale, not a Stripe event. */
  public record Rejected(String reason) implements Receipt {}

  private final List<String> secrets;
  private final CardPurchases purchases;
  private final AutoTopUps autoTopUps;
  private final Clock clock;

  public StripeWebhookReceiver(
      List<String> secrets, CardPurchases purchases, AutoTopUps autoTopUps, Clock clock) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one webhook signing secret");
    }
    this.secrets = List.copyOf(secrets);
    this.purchases = purchases;
    this.autoTopUps = autoTopUps;
    this.clock = clock;
  }

  public Receipt receive(String payload, String signatureHeader) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      return new Rejected("The Stripe-Signature header is missing");
    }
    Event event = null;
    try {
      for (String secret : secrets) {
        try {
          event =
              Webhook.constructEvent(payload, signatureHeader, secret, TOLERANCE_SECONDS, clock);
          break;
        } catch (SignatureVerificationException e) {
          // not this secret (or stale, or no signature at all): try the next one
        }
      }
    } catch (RuntimeException e) {
      // a header such as t=abc, or a signed body that is not JSON
      return new Rejected("The delivery is not a well-formed, signed Stripe event");
    }
    if (event == null) {
      return new Rejected("The Stripe-Signature does not verify");
    }
    if (event.getId() == null || event.getId().isBlank() || event.getType() == null) {
      return new Rejected("The delivery is not a Stripe event");
    }
    EventOutcome outcome;
    if (CHECKOUT_EVENTS.contains(event.getType())) {
      Optional<Session> session = object(event, Session.class);
      if (session.isEmpty()) {
        return new Rejected("The event holds no checkout session");
      }
      outcome = purchases.receive(paymentEvent(event, session.get()));
    } else if (event.getType().equals(CHARGE_REFUNDED)) {
      Optional<Charge> charge = object(event, Charge.class);
      if (charge.isEmpty() || charge.get().getId() == null) {
        return new Rejected("The event holds no charge");
      }
      outcome = purchases.receive(refundEvent(event, charge.get()));
    } else if (DISPUTE_EVENTS.contains(event.getType())) {
      Optional<Dispute> dispute = object(event, Dispute.class);
      if (dispute.isEmpty() || dispute.get().getId() == null) {
        return new Rejected("The event holds no dispute");
      }
      outcome = purchases.receive(disputeEvent(event, dispute.get()));
    } else if (PAYMENT_INTENT_EVENTS.contains(event.getType())) {
      Optional<PaymentIntent> intent = object(event, PaymentIntent.class);
      if (intent.isEmpty() || intent.get().getId() == null) {
        return new Rejected("The event holds no payment intent");
      }
      outcome = autoTopUps.receive(paymentIntentEvent(event, intent.get()));
    } else {
      outcome = purchases.receive(PaymentEvent.other(event.getId(), event.getType()));
    }
    String id = event.getId();
    String type = event.getType();
    LOG.info(() -> "Stripe event " + id + " (" + type + "): " + outcome);
    return new Accepted(id, outcome);
  }

  private static ChargeRefundedEvent refundEvent(Event event, Charge charge) {
    return new ChargeRefundedEvent(
        event.getId(),
        event.getType(),
        charge.getId(),
        Optional.ofNullable(charge.getPaymentIntent()),
        charge.getAmountRefunded() == null ? 0 : charge.getAmountRefunded(),
        Optional.ofNullable(charge.getCurrency()));
  }

  private static PaymentIntentEvent paymentIntentEvent(Event event, PaymentIntent intent) {
    return new PaymentIntentEvent(
        event.getId(),
        event.getType(),
        intent.getId(),
        Optional.ofNullable(intent.getMetadata())
            .map(metadata -> metadata.get(StripeCheckoutGateway.AUTO_TOP_UP_METADATA)),
        intent.getAmount() == null ? OptionalLong.empty() : OptionalLong.of(intent.getAmount()),
        Optional.ofNullable(intent.getCurrency()),
        Optional.ofNullable(intent.getLastPaymentError()).map(error -> error.getMessage()));
  }

  private static DisputeEvent disputeEvent(Event event, Dispute dispute) {
    return new DisputeEvent(
        event.getId(),
        event.getType(),
        dispute.getId(),
        Optional.ofNullable(dispute.getPaymentIntent()),
        dispute.getAmount() == null ? 0 : dispute.getAmount(),
        dispute.getStatus() == null ? "" : dispute.getStatus());
  }

  private static PaymentEvent paymentEvent(Event event, Session session) {
    return new PaymentEvent(
        event.getId(),
        event.getType(),
        Optional.ofNullable(session.getId()),
        Optional.ofNullable(session.getClientReferenceId()),
        "paid".equals(session.getPaymentStatus()),
        session.getAmountTotal() == null
            ? OptionalLong.empty()
            : OptionalLong.of(session.getAmountTotal()),
        Optional.ofNullable(session.getCurrency()),
        Optional.ofNullable(session.getPaymentIntent()));
  }

  /**
   * The event's object, when it is a {@code type}. An event of another API version than the
   * library's is read all the same: only a few fields of it are used (ids, status, amounts).
   */
  private static <T extends StripeObject> Optional<T> object(Event event, Class<T> type) {
    try {
      EventDataObjectDeserializer data = event.getDataObjectDeserializer();
      Optional<StripeObject> object = data.getObject();
      if (object.isEmpty()) {
        object = Optional.ofNullable(data.deserializeUnsafe());
      }
      return object.filter(type::isInstance).map(type::cast);
    } catch (EventDataObjectDeserializationException | RuntimeException e) {
      return Optional.empty(); // no data, or data that is not an object of a known type
    }
  }
}
