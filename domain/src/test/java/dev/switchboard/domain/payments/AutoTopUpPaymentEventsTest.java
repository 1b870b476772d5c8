package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.money.Credits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 * The provider's events that an auto top-up's off-session payment succeeded or failed settle it as
 * the charge's answer would have, once, whoever comes first: the answer, a retry, or any number of
 * deliveries of its events.
 */
class AutoTopUpPaymentEventsTest {

  private static final long TOTAL_CENTS = PurchaseTerms.STANDARD.quote(twenty()).totalCents();

  private final PaymentsFixture f = new PaymentsFixture();

  @AfterEach
  void ledgerBalances() {
    f.assertLedgerBalances();
  }

  @Test
  void aPaymentLeftProcessingIsCreditedOnceByItsSucceededEventDeliveredFiveTimesConcurrently()
      throws Exception {
    UUID topUp = leftProcessing();
    PaymentIntentEvent succeeded = event("evt_ok", PaymentIntentEvent.SUCCEEDED, topUp);

    List<EventOutcome> outcomes = concurrently(5, () -> f.autoTopUps.receive(succeeded));

    assertThat(outcomes)
        .containsOnlyOnce(EventOutcome.CREDITED)
        .containsOnly(EventOutcome.CREDITED, EventOutcome.DUPLICATE);
    assertThat(f.autoTopUps.receive(event("evt_other", PaymentIntentEvent.SUCCEEDED, topUp)))
        .isEqualTo(EventOutcome.ALREADY_CREDITED);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("25.00"));
    assertThat(state(topUp)).isEqualTo("succeeded");
    assertThat(ledgerTransactionsOf(topUp)).isEqualTo(1);
    assertThat(f.autoTopUps.run(Duration.ZERO)).as("nothing pending, nothing due").isEmpty();
    assertThat(f.gateway.chargeCalls).hasSize(1);
    assertThat(
            f.db.queryLong(
                "SELECT count(*) FROM stripe_webhook_events WHERE auto_top_up_id = '"
                    + topUp
                    + "' AND org_id = '"
                    + f.org
                    + "'"))
        .isEqualTo(2);
  }

  @Test
  void aSucceededEventRacingTheRetryLoopOfTwoInstancesCreditsOnce() throws Exception {
    UUID topUp = leftProcessing();
    f.gateway.processing = false; // asked again, the provider answers that it was paid
    f.clock.advance(Duration.ofMinutes(2));
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
            instance.run(Duration.ofMinutes(1));
            return Optional.empty();
          });
    }
    for (int i = 0; i < 3; i++) {
      PaymentIntentEvent succeeded = event("evt_ok_" + i, PaymentIntentEvent.SUCCEEDED, topUp);
      racers.add(() -> Optional.of(f.autoTopUps.receive(succeeded)));
    }
    List<EventOutcome> outcomes = new ArrayList<>();
    race(racers).forEach(outcome -> outcome.ifPresent(outcomes::add));

    assertThat(outcomes)
        .hasSize(3)
        .containsOnly(EventOutcome.CREDITED, EventOutcome.ALREADY_CREDITED)
        .filteredOn(EventOutcome.CREDITED::equals)
        .hasSizeLessThanOrEqualTo(1);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("25.00"));
    assertThat(state(topUp)).isEqualTo("succeeded");
    assertThat(ledgerTransactionsOf(topUp)).isEqualTo(1);
    assertThat(f.gateway.chargeCalls)
        .extracting(ScriptedGateway.ChargeCall::idempotencyKey)
        .containsOnly("topup-" + topUp);
  }

  @Test
  void aFailedEventDeclinesAPendingTopUpOnceCountedWithTheChargesDeclinesAndMailedOnce()
      throws Exception {
    f.buySavingCard("5.00");
    f.autoTopUps.configure(f.ownerActor, f.org, true, Credits.ofUsd("10.00"), twenty());
    f.gateway.declining = true;
    f.autoTopUps.run(Duration.ofMinutes(1));
    f.autoTopUps.run(Duration.ofMinutes(1));
    assertThat(f.outbox).as("two declined charges").hasSize(2);
    f.gateway.declining = false;
    f.gateway.processing = true;
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).as("the third is processing").isEmpty();
    UUID topUp = pendingTopUp();
    PaymentIntentEvent failed = event("evt_failed", PaymentIntentEvent.FAILED, topUp);

    List<EventOutcome> outcomes = concurrently(5, () -> f.autoTopUps.receive(failed));

    assertThat(outcomes)
        .containsOnlyOnce(EventOutcome.DECLINED)
        .containsOnly(EventOutcome.DECLINED, EventOutcome.DUPLICATE);
    assertThat(f.autoTopUps.receive(event("evt_failed_again", PaymentIntentEvent.FAILED, topUp)))
        .isEqualTo(EventOutcome.ALREADY_DECLINED);
    assertThat(state(topUp)).isEqualTo("declined");
    AutoTopUps.Settings settings = f.autoTopUps.settings(f.ownerActor, f.org);
    assertThat(settings.consecutiveDeclines()).isEqualTo(AutoTopUps.DECLINES_BEFORE_OFF);
    assertThat(settings.enabled()).as("the third decline in a row").isFalse();
    assertThat(settings.lastFailure()).contains("Your card was declined.");
    assertThat(f.outbox).hasSize(3);
    assertThat(f.outbox.get(2).to()).isEqualTo(f.owner.email());
    assertThat(f.outbox.get(2).text()).contains("auto top-up is now off");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("5.00"));
    assertThat(f.autoTopUps.run(Duration.ZERO)).as("off, and nothing pending").isEmpty();
  }

  @Test
  void anEventWhoseAmountOrCurrencyIsNotTheTopUpsChangesNothing() {
    UUID topUp = leftProcessing();
    String payment = f.gateway.paymentOfTopUp(topUp);

    for (PaymentIntentEvent wrong :
        List.of(
            event("evt_more", PaymentIntentEvent.SUCCEEDED, topUp, TOTAL_CENTS + 1, "usd"),
            event("evt_less", PaymentIntentEvent.FAILED, topUp, TOTAL_CENTS - 1, "usd"),
            event("evt_euro", PaymentIntentEvent.SUCCEEDED, topUp, TOTAL_CENTS, "eur"),
            new PaymentIntentEvent(
                "evt_no_amount",
                PaymentIntentEvent.SUCCEEDED,
                payment,
                Optional.of(topUp.toString()),
                OptionalLong.empty(),
                Optional.of("usd"),
                Optional.empty()))) {
      assertThat(f.autoTopUps.receive(wrong)).isEqualTo(EventOutcome.AMOUNT_MISMATCH);
    }

    assertThat(state(topUp)).isEqualTo("pending");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("5.00"));
    assertThat(f.outbox).isEmpty();
    assertThat(f.autoTopUps.settings(f.ownerActor, f.org).consecutiveDeclines()).isZero();
    assertThat(f.autoTopUps.receive(event("evt_ok", PaymentIntentEvent.SUCCEEDED, topUp)))
        .as("the right one still credits it")
        .isEqualTo(EventOutcome.CREDITED);
  }

  @Test
  void anEventNamingNoTopUpOfOursOrAboutACheckoutsPaymentChangesNothing() {
    UUID topUp = leftProcessing();
    Checkout checkout = f.buy("10.00");
    String before = written();

    assertThat(
            f.autoTopUps.receive(
                named("evt_stranger", UUID.randomUUID().toString(), "pi_stranger", TOTAL_CENTS)))
        .isEqualTo(EventOutcome.UNKNOWN_SESSION);
    assertThat(f.autoTopUps.receive(named("evt_garbled", "not-an-id", "pi_garbled", TOTAL_CENTS)))
        .isEqualTo(EventOutcome.UNKNOWN_SESSION);
    assertThat(
            f.autoTopUps.receive(
                new PaymentIntentEvent(
                    "evt_checkout",
                    PaymentIntentEvent.SUCCEEDED,
                    PaymentsFixture.paymentIntent(checkout).orElseThrow(),
                    Optional.empty(),
                    OptionalLong.of(checkout.quote().totalCents()),
                    Optional.of("usd"),
                    Optional.empty())))
        .isEqualTo(EventOutcome.IGNORED);

    assertThat(written()).isEqualTo(before);
    assertThat(state(topUp)).isEqualTo("pending");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("15.00"));
    assertThat(f.db.queryLong("SELECT count(*) FROM stripe_webhook_events WHERE org_id IS NULL"))
        .as("recorded, about nothing of ours")
        .isEqualTo(3);
  }

  @Test
  void aPaymentReadAsDeclinedThatSucceedsAfterAllIsCreditedOnce() {
    f.buySavingCard("5.00");
    f.autoTopUps.configure(f.ownerActor, f.org, true, Credits.ofUsd("10.00"), twenty());
    f.gateway.declining = true; // e.g. it needed the cardholder, who confirmed it later
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).hasSize(1);
    UUID topUp = UUID.fromString(f.db.queryString("SELECT id::text FROM auto_top_ups"));

    assertThat(f.autoTopUps.receive(named("evt_late", topUp.toString(), "pi_late", TOTAL_CENTS)))
        .isEqualTo(EventOutcome.CREDITED);
    assertThat(f.autoTopUps.receive(named("evt_late_2", topUp.toString(), "pi_late", TOTAL_CENTS)))
        .isEqualTo(EventOutcome.ALREADY_CREDITED);

    assertThat(state(topUp)).isEqualTo("succeeded");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("25.00"));
    assertThat(f.autoTopUps.settings(f.ownerActor, f.org).consecutiveDeclines()).isZero();
  }

  /** A top-up of $20 started and left pending, its payment processing at the provider. */
  private UUID leftProcessing() {
    f.buySavingCard("5.00");
    f.autoTopUps.configure(f.ownerActor, f.org, true, Credits.ofUsd("10.00"), twenty());
    f.gateway.processing = true;
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).as("the outcome is unknown").isEmpty();
    return pendingTopUp();
  }

  private UUID pendingTopUp() {
    return UUID.fromString(
        f.db.queryString("SELECT id::text FROM auto_top_ups WHERE state = 'pending'"));
  }

  private PaymentIntentEvent event(String eventId, String type, UUID topUp) {
    return event(eventId, type, topUp, TOTAL_CENTS, "usd");
  }

  private PaymentIntentEvent event(
      String eventId, String type, UUID topUp, long cents, String currency) {
    return new PaymentIntentEvent(
        eventId,
        type,
        f.gateway.paymentOfTopUp(topUp),
        Optional.of(topUp.toString()),
        OptionalLong.of(cents),
        Optional.of(currency),
        type.equals(PaymentIntentEvent.FAILED)
            ? Optional.of("Your card was declined.")
            : Optional.empty());
  }

  /** A succeeded event whose payment names {@code topUp} (as its metadata says it). */
  private static PaymentIntentEvent named(
      String eventId, String topUp, String payment, long cents) {
    return new PaymentIntentEvent(
        eventId,
        PaymentIntentEvent.SUCCEEDED,
        payment,
        Optional.of(topUp),
        OptionalLong.of(cents),
        Optional.of("usd"),
        Optional.empty());
  }

  private String state(UUID topUp) {
    return f.db.queryString("SELECT state FROM auto_top_ups WHERE id = '" + topUp + "'");
  }

  private long ledgerTransactionsOf(UUID topUp) {
    return f.db.queryLong(
        "SELECT count(*) FROM ledger_transactions WHERE idempotency_key = 'stripe-topup:"
            + topUp
            + "'");
  }

  /** What an event could have changed, but the events table. */
  private String written() {
    return f.db.count("ledger_transactions")
        + " transactions, "
        + f.db.count("auto_top_ups WHERE state = 'pending'")
        + " pending, "
        + f.db.count("stripe_checkouts WHERE state = 'credited'")
        + " credited";
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

  private static Credits twenty() {
    return Credits.ofUsd("20.00");
  }
}
