package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.payments.stripe.StripeWebhookReceiver.Accepted;
import dev.switchboard.payments.stripe.StripeWebhookReceiver.Receipt;
import dev.switchboard.payments.stripe.StripeWebhookReceiver.Rejected;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stripe's webhook deliveries, signed by the fake as Stripe signs them, verified by the SDK. */
class StripeWebhookReceiverTest {

  private static final String COMPLETED = "checkout.session.completed";

  private final StripePurchasesFixture f = new StripePurchasesFixture();
  private final User owner = f.owner();

  @AfterEach
  void stop() {
    try {
      f.assertBooksAgree();
    } finally {
      f.close();
    }
  }

  @Test
  void aPaidCheckoutIsCreditedOnceAndADuplicateIsAcceptedWithoutMovingMoney() {
    Checkout checkout = f.start(owner, "20.00");
    f.stripe.pay(checkout.sessionId().orElseThrow());
    FakeStripe.Delivery completed = f.stripe.event(COMPLETED, checkout.sessionId().orElseThrow());

    assertThat(receive(completed)).isEqualTo(accepted(completed, EventOutcome.CREDITED));
    assertThat(receive(completed)).isEqualTo(accepted(completed, EventOutcome.DUPLICATE));

    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void anAsynchronousPaymentIsCreditedWhenItSucceedsNotWhenTheSessionCompletes() {
    Checkout checkout = f.start(owner, "20.00");
    String session = checkout.sessionId().orElseThrow();
    f.stripe.completeUnpaid(session);
    FakeStripe.Delivery completed = f.stripe.event(COMPLETED, session);
    assertThat(receive(completed)).isEqualTo(accepted(completed, EventOutcome.NOT_PAID));
    assertThat(f.balance(owner)).isEqualTo(Credits.ZERO);

    f.stripe.pay(session);
    FakeStripe.Delivery succeeded =
        f.stripe.event("checkout.session.async_payment_succeeded", session);
    assertThat(receive(succeeded)).isEqualTo(accepted(succeeded, EventOutcome.CREDITED));
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void theAmountCreditedIsTheRecordsNotTheEventsMetadata() {
    Checkout checkout = f.start(owner, "20.00");
    String session = checkout.sessionId().orElseThrow();
    f.stripe.pay(session);
    ObjectNode object = f.stripe.session(session).orElseThrow();
    ((ObjectNode) object.path("metadata")).put("credits", "10000.00");
    ((ObjectNode) object.path("metadata")).put("amount", "1000000000000");
    FakeStripe.Delivery delivery =
        f.stripe.signed(f.stripe.eventPayload("evt_metadata", COMPLETED, object));

    assertThat(receive(delivery)).isEqualTo(accepted(delivery, EventOutcome.CREDITED));
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void anEventForASessionSwitchboardNeverCreatedCreditsNothing() {
    Checkout ours = f.start(owner, "20.00");
    ObjectNode foreign = f.stripe.session(ours.sessionId().orElseThrow()).orElseThrow();
    foreign.put("id", "cs_test_made_elsewhere");
    foreign.put("client_reference_id", "not-ours");
    foreign.put("payment_status", "paid");
    FakeStripe.Delivery delivery =
        f.stripe.signed(f.stripe.eventPayload("evt_foreign", COMPLETED, foreign));

    assertThat(receive(delivery)).isEqualTo(accepted(delivery, EventOutcome.UNKNOWN_SESSION));
    assertThat(f.balance(owner)).isEqualTo(Credits.ZERO);
    assertThat(f.db.count("ledger_transactions WHERE kind = 'purchase'")).isZero();
  }

  @Test
  void anEventSignedWithTheRetiredSecretIsStillAcceptedDuringRotation() {
    Checkout checkout = f.start(owner, "20.00");
    f.stripe.pay(checkout.sessionId().orElseThrow());
    FakeStripe.Delivery current = f.stripe.event(COMPLETED, checkout.sessionId().orElseThrow());
    FakeStripe.Delivery retired =
        new FakeStripe.Delivery(
            current.payload(),
            FakeStripe.signature(
                current.payload(),
                StripePurchasesFixture.ROTATED_SECRET,
                f.clock.instant().getEpochSecond()));

    assertThat(receive(retired)).isEqualTo(accepted(retired, EventOutcome.CREDITED));
  }

  @Test
  void otherEventTypesAreAcceptedAndCreditNothing() {
    ObjectNode intent = new ObjectMapper().createObjectNode();
    intent.put("id", "pi_1");
    intent.put("object", "payment_intent");
    intent.put("amount", 2110);
    FakeStripe.Delivery delivery =
        f.stripe.signed(f.stripe.eventPayload("evt_other", "payment_intent.created", intent));

    assertThat(receive(delivery)).isEqualTo(accepted(delivery, EventOutcome.IGNORED));
    assertThat(f.db.count("ledger_transactions WHERE kind = 'purchase'")).isZero();
  }

  @Test
  void deliveriesThatDoNotVerifyOrParseAreRejectedAndWriteNothing() {
    Checkout checkout = f.start(owner, "20.00");
    f.stripe.pay(checkout.sessionId().orElseThrow());
    FakeStripe.Delivery good = f.stripe.event(COMPLETED, checkout.sessionId().orElseThrow());
    String payload = good.payload();
    long now = f.clock.instant().getEpochSecond();
    String before = f.writtenByWebhooks();

    assertRejected(payload, null, "no signature");
    assertRejected(payload, "", "an empty signature");
    assertRejected(
        payload, FakeStripe.signature(payload, "whsec_someone_else", now), "a wrong secret");
    assertRejected(
        payload.replace("\"livemode\":false", "\"livemode\":true"),
        good.signature(),
        "a payload changed after signing");
    assertRejected(
        payload,
        FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now - 301),
        "a timestamp 301 s old");
    assertRejected(payload, good.signature().replaceFirst("t=\\d+", "t=abc"), "t=abc");
    assertRejected(payload, "v1=" + good.signature().split("v1=")[1], "no timestamp");
    assertRejected(payload, good.signature().replace("v1=", "v0="), "no v1 scheme");
    String notJson = "{\"id\": \"evt_1\", \"type\": ";
    assertRejected(
        notJson,
        FakeStripe.signature(notJson, FakeStripe.WEBHOOK_SECRET, now),
        "invalid JSON, signed");
    assertRejected(
        "{}", FakeStripe.signature("{}", FakeStripe.WEBHOOK_SECRET, now), "JSON with no event");
    String noSession =
        f.stripe.eventPayload("evt_nosession", COMPLETED, new ObjectMapper().createObjectNode());
    assertRejected(
        noSession,
        FakeStripe.signature(noSession, FakeStripe.WEBHOOK_SECRET, now),
        "a checkout event without its session");

    assertThat(f.writtenByWebhooks()).isEqualTo(before);
    assertThat(f.balance(owner)).isEqualTo(Credits.ZERO);
  }

  @Test
  void aTimestampWithinTheToleranceIsAccepted() {
    Checkout checkout = f.start(owner, "20.00");
    f.stripe.pay(checkout.sessionId().orElseThrow());
    String payload = f.stripe.event(COMPLETED, checkout.sessionId().orElseThrow()).payload();
    FakeStripe.Delivery late =
        new FakeStripe.Delivery(
            payload,
            FakeStripe.signature(
                payload, FakeStripe.WEBHOOK_SECRET, f.clock.instant().getEpochSecond() - 250));

    assertThat(receive(late)).isInstanceOf(Accepted.class);
  }

  private void assertRejected(String payload, String signature, String what) {
    assertThat(f.receiver.receive(payload, signature)).as(what).isInstanceOf(Rejected.class);
  }

  private Receipt receive(FakeStripe.Delivery delivery) {
    return f.receiver.receive(delivery.payload(), delivery.signature());
  }

  private static Accepted accepted(FakeStripe.Delivery delivery, EventOutcome outcome) {
    try {
      return new Accepted(
          new ObjectMapper().readTree(delivery.payload()).path("id").asText(), outcome);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
