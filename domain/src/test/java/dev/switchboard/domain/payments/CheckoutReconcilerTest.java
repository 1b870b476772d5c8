package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.money.Credits;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckoutReconcilerTest {

  private final PaymentsFixture f = new PaymentsFixture();

  @AfterEach
  void ledgerBalances() {
    f.assertLedgerBalances();
  }

  @Test
  void aCheckoutPaidWhileItsWebhookWasLostIsCreditedOnceAfterAWhile() {
    Checkout checkout = f.open("20.00");
    String session = checkout.sessionId().orElseThrow();
    f.gateway.paid(session);

    assertThat(f.reconciler.reconcile().credited()).as("too recent to ask about").isZero();
    assertThat(f.gateway.lookups).isEmpty();

    f.clock.advance(Duration.ofMinutes(16));
    assertThat(f.reconciler.reconcile().credited()).isEqualTo(1);
    assertThat(f.reconciler.reconcile().credited()).isZero();
    assertThat(f.purchases.receive(PaymentsFixture.paidEvent("evt_late", checkout)))
        .as("the webhook, when it finally comes")
        .isEqualTo(EventOutcome.ALREADY_CREDITED);

    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(f.gateway.lookups).containsExactly(session);
    assertThat(f.db.queryString("SELECT stripe_payment_intent_id FROM stripe_checkouts"))
        .isEqualTo(ScriptedGateway.paymentIntentOf(session));
  }

  @Test
  void checkoutsNobodyPaidExpireAndOneThatNeverOpenedExpiresAfterADay() {
    Checkout expired = f.open("20.00");
    Checkout unpaid = f.open("10.00");
    f.gateway.expired(expired.sessionId().orElseThrow());
    f.gateway.mode = ScriptedGateway.Mode.UNREACHABLE;
    try {
      f.open("5.00");
    } catch (PaymentProviderException expected) {
      // recorded, never opened
    }
    f.gateway.mode = ScriptedGateway.Mode.ANSWER;

    f.clock.advance(Duration.ofMinutes(16));
    CheckoutReconciler.Pass first = f.reconciler.reconcile();
    assertThat(first.expired()).isEqualTo(1);
    assertThat(first.stillOpen()).isEqualTo(1);
    f.clock.advance(Duration.ofHours(24));
    assertThat(f.reconciler.reconcile().expired()).as("the one never opened").isEqualTo(1);

    assertThat(f.db.queryLong("SELECT count(*) FROM stripe_checkouts WHERE state = 'expired'"))
        .isEqualTo(2);
    assertThat(
            f.db.queryString("SELECT state FROM stripe_checkouts WHERE id = '" + unpaid.id() + "'"))
        .isEqualTo("open");
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void aPaymentThatArrivesAfterTheCheckoutExpiredIsStillCredited() {
    Checkout checkout = f.open("20.00");
    f.gateway.expired(checkout.sessionId().orElseThrow());
    f.clock.advance(Duration.ofMinutes(16));
    f.reconciler.reconcile();

    assertThat(f.purchases.receive(PaymentsFixture.paidEvent("evt_late", checkout)))
        .isEqualTo(EventOutcome.CREDITED);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void aProviderThatCannotBeReachedLeavesTheCheckoutForTheNextPass() {
    Checkout checkout = f.open("20.00");
    f.gateway.paid(checkout.sessionId().orElseThrow());
    f.gateway.mode = ScriptedGateway.Mode.UNREACHABLE;
    f.clock.advance(Duration.ofMinutes(16));

    assertThat(f.reconciler.reconcile().unreachable()).isEqualTo(1);
    f.gateway.mode = ScriptedGateway.Mode.ANSWER;
    assertThat(f.reconciler.reconcile().credited()).isEqualTo(1);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
  }
}
