package dev.switchboard.payments.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.domain.payments.PaymentEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Stripe's webhook deliveries: the signature is verified by the SDK (timestamp within {@link
 * #TOLERANCE_SECONDS} of our clock, against each configured secret in turn, so that two are
 * accepted while one is rotated), and a verified event is handed to {@link CardPurchases}. A
 * delivery that does not verify or does not parse is rejected before anything is written.
 */
public final class StripeWebhookReceiver {

  public static final long TOLERANCE_SECONDS = 300;

  /** The events that may say a checkout session is paid. */
  static final Set<String> CHECKOUT_EVENTS =
      Set.of("checkout.session.completed", "checkout.session.async_payment_succeeded");

  private static final Logger LOG = Logger.getLogger(StripeWebhookReceiver.class.getName());

  /** What became of a delivery. */
  public sealed interface Receipt {}

  /** A verified event, and what receiving it did (a duplicate changed nothing). */
  public record Accepted(String eventId, EventOutcome outcome) implements Receipt {}

  /** A delivery refused as it came: bad or missing signature, stale, not a Stripe event. */
  public record Rejected(String reason) implements Receipt {}

  private final List<String> secrets;
  private final CardPurchases purchases;
  private final Clock clock;

  public StripeWebhookReceiver(List<String> secrets, CardPurchases purchases, Clock clock) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one webhook signing secret");
    }
    this.secrets = List.copyOf(secrets);
    this.purchases = purchases;
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
    PaymentEvent paymentEvent;
    if (CHECKOUT_EVENTS.contains(event.getType())) {
      Optional<Session> session = session(event);
      if (session.isEmpty()) {
        return new Rejected("The event holds no checkout session");
      }
      paymentEvent = paymentEvent(event, session.get());
    } else {
      paymentEvent = PaymentEvent.other(event.getId(), event.getType());
    }
    EventOutcome outcome = purchases.receive(paymentEvent);
    LOG.info(
        () ->
            "Stripe event "
                + paymentEvent.eventId()
                + " ("
                + paymentEvent.type()
                + "): "
                + outcome);
    return new Accepted(event.getId(), outcome);
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
        Optional.ofNullable(session.getCurrency()));
  }

  /**
   * The event's session. An event of another API version than the library's is read all the same:
   * only the session's id, reference, payment status, amount and currency are used.
   */
  private static Optional<Session> session(Event event) {
    try {
      EventDataObjectDeserializer data = event.getDataObjectDeserializer();
      Optional<StripeObject> object = data.getObject();
      if (object.isEmpty()) {
        object = Optional.ofNullable(data.deserializeUnsafe());
      }
      return object.filter(Session.class::isInstance).map(Session.class::cast);
    } catch (EventDataObjectDeserializationException | RuntimeException e) {
      return Optional.empty(); // no data, or data that is not an object of a known type
    }
  }
}
