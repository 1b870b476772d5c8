package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.ledger.CreditExpiry;
import dev.switchboard.domain.ledger.Reservation;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.money.Credits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CreditExpiryTest {

  private static final Duration YEAR = Duration.ofDays(365);
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final PaymentsFixture f = new PaymentsFixture();

  @AfterEach
  void ledgerBalances() {
    f.assertLedgerBalances();
  }

  @Test
  void whatIsLeftOfAPurchaseExpiresAYearLaterOnce() {
    f.buy("20.00");
    f.spend("5.004");

    f.clock.advance(YEAR.minus(SECOND));
    assertThat(f.expiry.run().expired()).isZero();
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("14.996"));

    f.clock.advance(SECOND);
    CreditExpiry.Pass pass = f.expiry.run();

    assertThat(pass.expired()).isEqualTo(1);
    assertThat(pass.expiredCredits()).isEqualTo(Credits.ofUsd("14.996"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
    assertThat(f.systemAccount("expired_credits")).isEqualTo(Credits.ofUsd("14.996"));
    assertThat(
            f.db.queryString("SELECT description FROM ledger_transactions WHERE kind = 'expiry'"))
        .isEqualTo("Credits bought 1 December 2026 expired");
    assertThat(f.expiry.run().expired()).isZero();
    assertThat(f.db.queryLong("SELECT count(*) FROM ledger_transactions WHERE kind = 'expiry'"))
        .isEqualTo(1);
    assertThat(f.db.queryLong("SELECT count(*) FROM reservations")).isZero();
  }

  @Test
  void theOldestCreditsAreSpentFirst() {
    f.buy("20.00");
    f.clock.advance(Duration.ofDays(180));
    f.buy("10.00");
    f.spend("25.00"); // all of the first purchase and $5 of the second

    f.clock.advance(YEAR.minus(Duration.ofDays(180)));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ZERO);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("5.00"));

    f.clock.advance(Duration.ofDays(180));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("5.00"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void anOlderPurchaseExpiresWhatTheNewerOnesDoNotHold() {
    f.buy("20.00");
    f.clock.advance(Duration.ofDays(180));
    f.buy("10.00");
    f.spend("5.00"); // from the first purchase

    f.clock.advance(YEAR.minus(Duration.ofDays(180)));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("15.00"));
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("10.00"));

    f.clock.advance(Duration.ofDays(180));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("10.00"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void purchasesDueTogetherExpireInOnePass() {
    f.buy("20.00");
    f.clock.advance(Duration.ofDays(1));
    f.buy("10.00");
    f.spend("22.00");

    f.clock.advance(YEAR);
    CreditExpiry.Pass pass = f.expiry.run();

    assertThat(pass.expired()).isEqualTo(2);
    assertThat(pass.expiredCredits()).isEqualTo(Credits.ofUsd("8.00"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void grantsNeverExpireAndOlderGrantsAreSpentFirst() {
    f.db.ledger.grant(f.org, Credits.ofUsd("10.00"), "welcome", "welcome", "Welcome credits");
    f.clock.advance(Duration.ofDays(1));
    f.buy("20.00");
    f.clock.advance(Duration.ofDays(1));
    f.db.ledger.grant(f.org, Credits.ofUsd("3.00"), "later", "later", "Goodwill");
    f.spend("12.00"); // the $10 grant, then $2 of the purchase

    f.clock.advance(YEAR.multipliedBy(3));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("18.00"));
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("3.00"));
    assertThat(f.expiry.run().expired()).isZero();
  }

  @Test
  void aRefundedNewerPurchaseHoldsNothingOfTheBalance() {
    f.buy("20.00");
    f.clock.advance(Duration.ofHours(1));
    Checkout newer = f.buy("10.00");
    f.refunds.refund(f.ownerActor, f.org, newer.id());

    f.clock.advance(YEAR);
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void creditsADisputeTookFromANewerPurchaseCountAsItsAgainOnceTheDisputeIsWon() {
    f.buy("20.00");
    f.clock.advance(Duration.ofDays(30));
    Checkout newer = f.buy("10.00");
    f.purchases.receive(dispute("evt_open", DisputeEvent.OPENED, newer, ""));
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
    f.purchases.receive(dispute("evt_won", DisputeEvent.CLOSED, newer, "won"));
    f.spend("25.00"); // all of the first purchase and $5 of the newer one

    f.clock.advance(YEAR.minus(Duration.ofDays(30)));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ZERO);
    f.clock.advance(Duration.ofDays(30));
    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("5.00"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void creditsHeldByARequestInFlightAreNotExpiredAndTheBalanceStaysAboveZero() {
    f.buy("20.00");
    f.clock.advance(YEAR);
    Reservation inFlight = f.db.spendGate.reserve(f.key, Credits.ofUsd("4.00"));

    assertThat(f.expiry.run().expiredCredits()).isEqualTo(Credits.ofUsd("16.00"));

    f.db.spendGate.settle(inFlight, f.db.generation(f.key, Credits.ofUsd("3.00")));
    f.db.awaitSettled();
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("1.00"));
    assertThat(f.db.queryLong("SELECT count(*) FROM reservations")).isZero();
  }

  @Test
  void ownersAndBillingMembersAreWarnedOnceThirtyDaysBefore() {
    User billing = f.people.memberOf(f.org, Role.BILLING);
    f.people.memberOf(f.org, Role.MEMBER);
    f.buy("20.00");
    f.spend("4.50");

    f.clock.advance(YEAR.minus(Duration.ofDays(30)).minus(SECOND));
    assertThat(f.expiry.run().warned()).isZero();
    assertThat(f.outbox).isEmpty();

    f.clock.advance(SECOND);
    assertThat(f.expiry.run().warned()).isEqualTo(1);
    assertThat(f.outbox)
        .extracting(OutgoingMail::to)
        .containsExactlyInAnyOrder(f.owner.email(), billing.email());
    assertThat(f.outbox.get(0).text())
        .startsWith(
            "$15.50 of your organization's Switchboard credits will expire on 1 December 2027");

    f.clock.advance(Duration.ofDays(1));
    assertThat(f.expiry.run().warned()).isZero();
    assertThat(f.outbox).hasSize(2);
  }

  @Test
  void nobodyIsWarnedOfCreditsAlreadySpent() {
    f.buy("20.00");
    f.spend("20.00");

    f.clock.advance(YEAR.minus(Duration.ofDays(10)));
    assertThat(f.expiry.run().warned()).isZero();
    f.clock.advance(Duration.ofDays(10));
    assertThat(f.expiry.run().expired()).isEqualTo(1);

    assertThat(f.outbox).isEmpty();
    assertThat(f.systemAccount("expired_credits")).isEqualTo(Credits.ZERO);
  }

  @Test
  void passesRunningAtOnceExpireEachPurchaseOnce() throws Exception {
    f.buy("20.00");
    f.clock.advance(Duration.ofDays(2));
    f.buy("7.00");
    f.clock.advance(YEAR);
    int passes = 8;
    CyclicBarrier start = new CyclicBarrier(passes);
    ExecutorService threads = Executors.newFixedThreadPool(passes);
    try {
      List<Future<CreditExpiry.Pass>> runs =
          java.util.stream.IntStream.range(0, passes)
              .mapToObj(
                  i ->
                      threads.submit(
                          () -> {
                            start.await();
                            return f.expiry.run();
                          }))
              .toList();
      int expired = 0;
      Credits total = Credits.ZERO;
      for (Future<CreditExpiry.Pass> run : runs) {
        expired += run.get().expired();
        total = total.plus(run.get().expiredCredits());
      }
      assertThat(expired).isEqualTo(2);
      assertThat(total).isEqualTo(Credits.ofUsd("27.00"));
    } finally {
      threads.shutdownNow();
    }
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
    assertThat(f.db.queryLong("SELECT count(*) FROM ledger_transactions WHERE kind = 'expiry'"))
        .isEqualTo(2);
  }

  private static DisputeEvent dispute(String eventId, String type, Checkout checkout, String st) {
    return new DisputeEvent(
        eventId,
        type,
        "dp_" + checkout.id(),
        PaymentsFixture.paymentIntent(checkout),
        checkout.quote().totalCents(),
        st.isEmpty() ? "needs_response" : st);
  }
}
