package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountRefusedException.Reason;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.ledger.Reservation;
import dev.switchboard.domain.money.Credits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutoTopUpsTest {

  private final PaymentsFixture f = new PaymentsFixture();

  @AfterEach
  void ledgerBalances() {
    f.assertLedgerBalances();
  }

  @Test
  void fiftyConcurrentRequestsDrainingTheBalanceBelowTheThresholdTopItUpExactlyOnce()
      throws Exception {
    f.buySavingCard("20.00");
    f.autoTopUps.configure(
        f.ownerActor, f.org, true, Credits.ofUsd("10.00"), Credits.ofUsd("25.00"));
    AutoTopUps otherInstance =
        new AutoTopUps(
            f.db.transactions,
            f.db.ledger,
            f.gateway,
            PurchaseTerms.STANDARD,
            f.outbox::add,
            f.clock);

    ExecutorService pool = Executors.newFixedThreadPool(54);
    try {
      CountDownLatch go = new CountDownLatch(1);
      AtomicBoolean spending = new AtomicBoolean(true);
      List<Future<?>> requests = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        requests.add(
            pool.submit(
                () -> {
                  go.await();
                  Reservation r = f.db.spendGate.reserve(f.key, Credits.ofUsd("0.30"));
                  f.db.spendGate.settle(r, f.db.generation(f.key, Credits.ofUsd("0.25")));
                  return null;
                }));
      }
      List<Future<?>> upkeep = new ArrayList<>();
      for (AutoTopUps instance :
          List.of(f.autoTopUps, otherInstance, f.autoTopUps, otherInstance)) {
        upkeep.add(
            pool.submit(
                () -> {
                  go.await();
                  while (spending.get()) {
                    instance.run(Duration.ofMinutes(1));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> request : requests) {
        request.get(60, TimeUnit.SECONDS);
      }
      f.db.awaitSettled();
      f.autoTopUps.run(Duration.ofMinutes(1)); // the balance is below the threshold by now
      spending.set(false);
      for (Future<?> task : upkeep) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(f.gateway.chargeCalls).hasSize(1);
    assertThat(f.gateway.chargeCalls.get(0).totalCents()).as("$25 and its fee").isEqualTo(2638);
    assertThat(f.db.queryLong("SELECT count(*) FROM auto_top_ups")).isEqualTo(1);
    assertThat(f.db.queryString("SELECT state FROM auto_top_ups")).isEqualTo("succeeded");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("32.50"));
    assertThat(f.autoTopUps.run(Duration.ZERO)).as("above the threshold again").isEmpty();
  }

  @Test
  void aChargeWhoseAnswerWasLostIsAskedAgainUnderTheSameKeyAndCreditedOnce() {
    f.buySavingCard("5.00");
    f.autoTopUps.configure(
        f.ownerActor, f.org, true, Credits.ofUsd("10.00"), Credits.ofUsd("20.00"));
    f.gateway.mode = ScriptedGateway.Mode.UNREACHABLE;

    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).isEmpty();
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).as("one in flight already").isEmpty();
    assertThat(f.db.queryString("SELECT state FROM auto_top_ups")).isEqualTo("pending");

    f.gateway.mode = ScriptedGateway.Mode.ANSWER;
    f.clock.advance(Duration.ofMinutes(2));
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1)))
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo("succeeded"));

    assertThat(f.gateway.chargeCalls)
        .extracting(ScriptedGateway.ChargeCall::idempotencyKey)
        .hasSize(2)
        .containsOnly(f.gateway.chargeCalls.get(0).idempotencyKey());
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("25.00"));
  }

  @Test
  void declinesAreShownAndMailedAndThreeInARowSwitchAutoTopUpOff() {
    f.buySavingCard("5.00");
    f.autoTopUps.configure(
        f.ownerActor, f.org, true, Credits.ofUsd("10.00"), Credits.ofUsd("20.00"));
    f.gateway.declining = true;

    for (int i = 1; i <= AutoTopUps.DECLINES_BEFORE_OFF; i++) {
      assertThat(f.autoTopUps.run(Duration.ofMinutes(1)))
          .singleElement()
          .satisfies(t -> assertThat(t.state()).isEqualTo("declined"));
    }
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).as("off now").isEmpty();

    AutoTopUps.Settings settings = f.autoTopUps.settings(f.ownerActor, f.org);
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.consecutiveDeclines()).isEqualTo(3);
    assertThat(settings.lastFailure()).contains("Your card was declined.");
    assertThat(f.outbox).hasSize(3).allSatisfy(m -> assertThat(m.to()).isEqualTo(f.owner.email()));
    assertThat(f.outbox.get(0).text()).contains("will try again");
    assertThat(f.outbox.get(2).text()).contains("auto top-up is now off");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("5.00"));

    f.gateway.declining = false;
    f.autoTopUps.configure(
        f.ownerActor, f.org, true, Credits.ofUsd("10.00"), Credits.ofUsd("20.00"));
    assertThat(f.autoTopUps.settings(f.ownerActor, f.org).consecutiveDeclines()).isZero();
    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).hasSize(1);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("25.00"));
  }

  @Test
  void onlyOwnersAndBillingMembersSetItAndOnlyWithASavedCardAndAmountsWithinTheTerms() {
    Actor member = Actor.member(f.people.memberOf(f.org, Role.MEMBER).id());
    Actor admin = Actor.member(f.people.memberOf(f.org, Role.ADMIN).id());
    Credits ten = Credits.ofUsd("10.00");

    refused(() -> f.autoTopUps.configure(f.ownerActor, f.org, true, ten, ten), Reason.CONFLICT);
    f.buy("5.00"); // a purchase that did not save its card
    refused(() -> f.autoTopUps.configure(f.ownerActor, f.org, true, ten, ten), Reason.CONFLICT);
    f.buySavingCard("5.00");
    refused(() -> f.autoTopUps.configure(member, f.org, true, ten, ten), Reason.FORBIDDEN);
    refused(() -> f.autoTopUps.configure(admin, f.org, true, ten, ten), Reason.FORBIDDEN);
    refused(
        () -> f.autoTopUps.configure(f.ownerActor, f.org, true, ten, Credits.ofUsd("4.99")),
        Reason.INVALID);
    refused(
        () -> f.autoTopUps.configure(f.ownerActor, f.org, true, Credits.ofUsd("-1"), ten),
        Reason.INVALID);
    assertThat(f.db.count("auto_top_up_settings")).isZero();

    AutoTopUps.Settings set = f.autoTopUps.configure(f.ownerActor, f.org, true, ten, ten);
    assertThat(set.enabled()).isTrue();
    assertThat(set.cardSaved()).isTrue();
    assertThat(f.gateway.customers).hasSize(1);
  }

  private static void refused(Runnable call, Reason reason) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            AccountRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
