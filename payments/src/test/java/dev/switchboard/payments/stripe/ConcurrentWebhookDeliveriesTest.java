package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.payments.stripe.StripeWebhookReceiver.Accepted;
import dev.switchboard.payments.stripe.StripeWebhookReceiver.Receipt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe delivers at least once, in any order, sometimes at the same moment: every purchase must
 * still be credited exactly once, to the nano-dollar.
 */
class ConcurrentWebhookDeliveriesTest {

  private static final List<String> AMOUNTS =
      List.of("5.00", "14.99", "15.00", "15.01", "20.00", "123.45", "777.77", "9999.99");
  private static final int DELIVERIES_PER_EVENT = 5;

  private final StripePurchasesFixture f = new StripePurchasesFixture();

  @AfterEach
  void stop() {
    try {
      f.assertBooksAgree();
    } finally {
      f.close();
    }
  }

  @Test
  void everyPurchaseIsCreditedExactlyOnceUnderConcurrentRepeatedShuffledDeliveries()
      throws Exception {
    List<User> owners = List.of(f.owner(), f.owner(), f.owner());
    Map<User, Credits> expectedCredits = new HashMap<>();
    Credits expectedFees = Credits.ZERO;
    Credits expectedTotal = Credits.ZERO;
    List<FakeStripe.Delivery> deliveries = new ArrayList<>();
    int checkouts = 0;
    for (User owner : owners) {
      for (String amount : AMOUNTS) {
        Checkout checkout = f.start(owner, amount);
        checkouts++;
        String session = checkout.sessionId().orElseThrow();
        f.stripe.pay(session);
        expectedCredits.merge(owner, checkout.quote().credits(), Credits::plus);
        expectedFees = expectedFees.plus(checkout.quote().fee());
        expectedTotal = expectedTotal.plus(checkout.quote().total());
        for (String type :
            List.of("checkout.session.completed", "checkout.session.async_payment_succeeded")) {
          FakeStripe.Delivery event = f.stripe.event(type, session);
          for (int i = 0; i < DELIVERIES_PER_EVENT; i++) {
            deliveries.add(event);
          }
        }
      }
    }
    Collections.shuffle(deliveries, new Random(20261203));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Receipt>> receipts = new ArrayList<>();
    for (FakeStripe.Delivery delivery : deliveries) {
      receipts.add(
          pool.submit(
              () -> {
                start.await();
                return f.receiver.receive(delivery.payload(), delivery.signature());
              }));
    }
    start.countDown();
    Map<EventOutcome, Integer> outcomes = new EnumMap<>(EventOutcome.class);
    for (Future<Receipt> receipt : receipts) {
      Receipt answer = receipt.get(60, TimeUnit.SECONDS);
      assertThat(answer).isInstanceOf(Accepted.class);
      outcomes.merge(((Accepted) answer).outcome(), 1, Integer::sum);
    }
    pool.shutdown();

    int events = checkouts * 2;
    assertThat(outcomes)
        .containsOnly(
            Map.entry(EventOutcome.CREDITED, checkouts),
            Map.entry(EventOutcome.ALREADY_CREDITED, checkouts),
            Map.entry(EventOutcome.DUPLICATE, events * (DELIVERIES_PER_EVENT - 1)));
    for (User owner : owners) {
      assertThat(f.balance(owner)).isEqualTo(expectedCredits.get(owner));
    }
    assertThat(expectedCredits.get(owners.get(0))).isEqualTo(Credits.ofUsd("10971.21"));
    assertThat(f.db.count("ledger_transactions WHERE kind = 'purchase'")).isEqualTo(checkouts);
    assertThat(f.db.count("stripe_webhook_events")).isEqualTo(events);
    assertThat(f.db.count("stripe_checkouts WHERE state = 'credited'")).isEqualTo(checkouts);
    assertThat(systemAccount("payment_fees")).isEqualTo(expectedFees.nanos());
    assertThat(systemAccount("stripe_purchases")).isEqualTo(-expectedTotal.nanos());
  }

  private long systemAccount(String kind) {
    return f.db.queryLong(
        "SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e JOIN ledger_accounts a"
            + " ON a.id = e.account_id WHERE a.org_id IS NULL AND a.kind = '"
            + kind
            + "'");
  }
}
