package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.AutoTopUps;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.domain.payments.PurchaseTerms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe's {@code payment_intent.succeeded} and {@code payment_intent.payment_failed} about an auto
 * top-up's off-session charge, through the real SDK and the receiver: they settle a top-up whose
 * charge's answer was unknown, once, however often they are delivered and whatever they race.
 */
class StripeAutoTopUpEventsTest {

  private static final String SUCCEEDED = "payment_intent.succeeded";
  private static final String FAILED = "payment_intent.payment_failed";
  private static final long TOTAL_CENTS =
      PurchaseTerms.STANDARD.quote(Credits.ofUsd("25.00")).totalCents();

  private final StripePurchasesFixture f = new StripePurchasesFixture();
  private final User owner = f.owner();
  private final Actor buyer = Actor.member(owner.id());

  @AfterEach
  void stop() {
    try {
      f.assertBooksAgree();
    } finally {
      f.close();
    }
  }

  @Test
  void aChargeLeftProcessingIsCreditedOnceByItsSucceededEventDeliveredFiveTimesConcurrently()
      throws Exception {
    UUID topUp = leftProcessing();
    String intent = f.stripe.paymentIntentOfTopUp(topUp); // the charge named its top-up
    f.stripe.settlePaymentIntent(intent, true, "");
    FakeStripe.Delivery succeeded = f.stripe.paymentIntentEvent(SUCCEEDED, intent);

    List<EventOutcome> outcomes = concurrently(5, () -> outcome(f.receive(succeeded)));

    assertThat(outcomes)
        .containsOnlyOnce(EventOutcome.CREDITED)
        .containsOnly(EventOutcome.CREDITED, EventOutcome.DUPLICATE);
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("45.00"));
    assertThat(state(topUp)).isEqualTo("succeeded");
    assertThat(f.db.queryString("SELECT stripe_payment_intent_id FROM auto_top_ups"))
        .isEqualTo(intent);
    assertThat(f.autoTopUps.run(Duration.ZERO)).as("nothing pending, nothing due").isEmpty();
    assertThat(f.stripe.savedCardCharges()).isEqualTo(1);
  }

  @Test
  void aSucceededEventRacingTheRetryLoopOfTwoInstancesCreditsOnce() throws Exception {
    f.buySavingCard(owner, "20.00");
    f.autoTopUps.configure(
        buyer, owner.personalOrgId(), true, Credits.ofUsd("30.00"), Credits.ofUsd("25.00"));
    f.stripe.loseNextPaymentIntentAnswers(3); // charged, and the SDK's retries lose theirs too
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).isEmpty();
    UUID topUp = pendingTopUp();
    FakeStripe.Delivery succeeded =
        f.stripe.paymentIntentEvent(SUCCEEDED, f.stripe.paymentIntentOfTopUp(topUp));
    AutoTopUps otherInstance =
        new AutoTopUps(
            f.db.transactions,
            f.db.ledger,
            f.gateway,
            PurchaseTerms.STANDARD,
            f.outbox::add,
            f.clock);

    List<Callable<Optional<EventOutcome>>> racers = new ArrayList<>();
    for (AutoTopUps instance : List.of(f.autoTopUps, otherInstance)) {
      racers.add(
          () -> {
            instance.run(Duration.ZERO);
            return Optional.empty();
          });
    }
    for (int i = 0; i < 3; i++) {
      racers.add(() -> Optional.of(outcome(f.receive(succeeded))));
    }
    List<EventOutcome> outcomes = new ArrayList<>();
    race(racers).forEach(outcome -> outcome.ifPresent(outcomes::add));

    assertThat(outcomes).hasSize(3).filteredOn(EventOutcome.DUPLICATE::equals).hasSize(2);
    assertThat(outcomes)
        .as("whichever came first, the retry or the event")
        .filteredOn(outcome -> outcome != EventOutcome.DUPLICATE)
        .singleElement()
        .isIn(EventOutcome.CREDITED, EventOutcome.ALREADY_CREDITED);
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("45.00"));
    assertThat(state(topUp)).isEqualTo("succeeded");
    assertThat(
            f.db.queryLong(
                "SELECT count(*) FROM ledger_transactions WHERE idempotency_key = 'stripe-topup:"
                    + topUp
                    + "'"))
        .isEqualTo(1);
    assertThat(f.stripe.savedCardCharges()).isEqualTo(1);
  }

  @Test
  void aFailedEventRecordsTheDeclineOnceCountedAndMailedOnce() throws Exception {
    UUID topUp = leftProcessing();
    String intent = f.stripe.paymentIntentOfTopUp(topUp);
    f.stripe.settlePaymentIntent(intent, false, "Your card was declined.");
    FakeStripe.Delivery failed = f.stripe.paymentIntentEvent(FAILED, intent);

    List<EventOutcome> outcomes = concurrently(3, () -> outcome(f.receive(failed)));

    assertThat(outcomes)
        .containsOnlyOnce(EventOutcome.DECLINED)
        .containsOnly(EventOutcome.DECLINED, EventOutcome.DUPLICATE);
    assertThat(state(topUp)).isEqualTo("declined");
    AutoTopUps.Settings settings = f.autoTopUps.settings(buyer, owner.personalOrgId());
    assertThat(settings.consecutiveDeclines()).isEqualTo(1);
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.lastFailure()).contains("Your card was declined.");
    assertThat(f.outbox)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.to()).isEqualTo(owner.email());
              assertThat(m.text()).contains("Your card was declined.", "will try again");
            });
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void anEventWhoseAmountOrCurrencyIsNotTheTopUpsChangesNothing() {
    UUID topUp = leftProcessing();
    String intent = f.stripe.paymentIntentOfTopUp(topUp);
    f.stripe.settlePaymentIntent(intent, true, "");
    ObjectNode more = f.stripe.paymentIntent(intent).put("amount", TOTAL_CENTS + 100);
    ObjectNode euros = f.stripe.paymentIntent(intent).put("currency", "eur");

    for (ObjectNode wrong : List.of(more, euros)) {
      assertThat(outcome(f.receive(signedEvent(SUCCEEDED, wrong))))
          .isEqualTo(EventOutcome.AMOUNT_MISMATCH);
    }

    assertThat(state(topUp)).isEqualTo("pending");
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(outcome(f.receive(f.stripe.paymentIntentEvent(SUCCEEDED, intent))))
        .as("Stripe's own account of it still credits it")
        .isEqualTo(EventOutcome.CREDITED);
  }

  @Test
  void anEventNamingNoTopUpOfOursOrAboutACheckoutsPaymentChangesNothing() {
    UUID topUp = leftProcessing();
    Checkout checkout = f.buy(owner, "10.00");
    String intent = f.stripe.paymentIntentOfTopUp(topUp);
    f.stripe.settlePaymentIntent(intent, true, "");
    ObjectNode stranger = f.stripe.paymentIntent(intent).put("id", "pi_stranger");
    ((ObjectNode) stranger.get("metadata"))
        .put(StripeCheckoutGateway.AUTO_TOP_UP_METADATA, UUID.randomUUID().toString());
    String before = written();

    assertThat(outcome(f.receive(signedEvent(SUCCEEDED, stranger))))
        .isEqualTo(EventOutcome.UNKNOWN_SESSION);
    assertThat(
            outcome(
                f.receive(
                    f.stripe.paymentIntentEvent(
                        SUCCEEDED, f.stripe.paymentIntentOf(checkout.sessionId().orElseThrow())))))
        .as("a checkout's payment is credited by its session's events")
        .isEqualTo(EventOutcome.IGNORED);
    String forgedPayload =
        f.stripe.eventPayload("evt_forged", SUCCEEDED, f.stripe.paymentIntent(intent));
    assertThat(
            f.receiver.receive(
                forgedPayload,
                FakeStripe.signature(
                    forgedPayload, "whsec_someone_else", f.clock.instant().getEpochSecond())))
        .isInstanceOf(StripeWebhookReceiver.Rejected.class);

    assertThat(written()).isEqualTo(before);
    assertThat(state(topUp)).isEqualTo("pending");
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("30.00"));
  }

  /** A top-up of $25 started and left pending: Stripe's answer was that it is processing. */
  private UUID leftProcessing() {
    f.buySavingCard(owner, "20.00");
    f.autoTopUps.configure(
        buyer, owner.personalOrgId(), true, Credits.ofUsd("30.00"), Credits.ofUsd("25.00"));
    f.stripe.leaveSavedCardChargesProcessing(true);
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).as("the outcome is unknown").isEmpty();
    assertThat(f.autoTopUps.run(Duration.ZERO))
        .as("asked again, Stripe replays: processing")
        .isEmpty();
    f.stripe.leaveSavedCardChargesProcessing(false);
    return pendingTopUp();
  }

  private UUID pendingTopUp() {
    return UUID.fromString(
        f.db.queryString("SELECT id::text FROM auto_top_ups WHERE state = 'pending'"));
  }

  private String state(UUID topUp) {
    return f.db.queryString("SELECT state FROM auto_top_ups WHERE id = '" + topUp + "'");
  }

  private FakeStripe.Delivery signedEvent(String type, ObjectNode intent) {
    return f.stripe.signed(
        f.stripe.eventPayload(
            "evt_" + UUID.randomUUID().toString().replace("-", ""), type, intent));
  }

  /** What an event could have changed, but the events table. */
  private String written() {
    return f.db.count("ledger_transactions")
        + " transactions, "
        + f.db.count("auto_top_ups WHERE state = 'pending'")
        + " pending top-ups, "
        + f.db.count("stripe_checkouts WHERE state = 'credited'")
        + " credited";
  }

  private static EventOutcome outcome(StripeWebhookReceiver.Receipt receipt) {
    if (receipt instanceof StripeWebhookReceiver.Accepted accepted) {
      return accepted.outcome();
    }
    throw new AssertionError("the delivery was rejected: " + receipt);
  }

  private static <T> List<T> concurrently(int times, Callable<T> call) throws Exception {
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      calls.add(call);
    }
    return race(calls);
  }

  /** Runs the calls at once (released together by a barrier) and returns what each returned. */
  private static <T> List<T> race(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    try {
      CyclicBarrier start = new CyclicBarrier(calls.size());
      List<Future<T>> running = new ArrayList<>();
      for (Callable<T> call : calls) {
        running.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return call.call();
                }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> result : running) {
        results.add(result.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
