package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.ledger.Reservation;
import dev.switchboard.domain.ledger.ReservationRefusedException;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CardRefund;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutReconciler;
import dev.switchboard.domain.payments.DisputeEvent;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.payments.stripe.StripeWebhookReceiver.Accepted;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to a card purchase after it is credited, through the real SDK against the fake
 * Stripe: refunds, refunds made in Stripe's dashboard, disputes, and the reconciler's questions.
 */
class StripeRefundsAndDisputesTest {

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
  void aRefundIsMadeOnceAtStripeAndItsChargeEventTakesNothingMore() {
    Checkout checkout = f.buy(owner, "20.00");

    CardRefund refund = f.refunds.refund(buyer, owner.personalOrgId(), checkout.id());

    assertThat(refund.state()).isEqualTo(CardRefund.State.SUCCEEDED);
    assertThat(f.stripe.refundCount()).isEqualTo(1);
    assertThat(f.stripe.received())
        .filteredOn(r -> r.path().equals("/v1/refunds"))
        .singleElement()
        .satisfies(r -> assertThat(r.idempotencyKey()).isEqualTo("refund-" + refund.id()));
    String paymentIntent = f.stripe.paymentIntentOf(checkout.sessionId().orElseThrow());
    assertThat(outcome(f.receive(f.stripe.chargeRefunded(paymentIntent))))
        .isEqualTo(EventOutcome.REFUNDED);
    assertThat(f.balance(owner)).isEqualTo(Credits.ZERO);
  }

  @Test
  void aRefundStripeDoesNotAnswerIsAskedAgainUnderTheSameKeyAndMadeOnce() {
    Checkout checkout = f.buy(owner, "20.00");
    f.stripe.failNextRefunds(3); // the SDK's own two retries fail too

    CardRefund pending = f.refunds.refund(buyer, owner.personalOrgId(), checkout.id());
    assertThat(pending.state()).isEqualTo(CardRefund.State.PENDING);
    assertThat(f.refunds.retryPending(Duration.ZERO)).isEqualTo(1);

    assertThat(f.stripe.refundCount()).isEqualTo(1);
    assertThat(f.stripe.received())
        .filteredOn(r -> r.path().equals("/v1/refunds"))
        .extracting(FakeStripe.Received::idempotencyKey)
        .hasSize(4)
        .containsOnly("refund-" + pending.id());
    assertThat(f.balance(owner)).isEqualTo(Credits.ZERO);
  }

  @Test
  void aRefundStripeRefusesGivesTheCreditsBack() {
    Checkout checkout = f.buy(owner, "20.00");
    f.stripe.refuseNextRefunds(1);

    CardRefund refund = f.refunds.refund(buyer, owner.personalOrgId(), checkout.id());

    assertThat(refund.state()).isEqualTo(CardRefund.State.FAILED);
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void aRefundMadeInStripesDashboardComesOutOfTheCredits() {
    Checkout checkout = f.buy(owner, "20.00");
    String paymentIntent = f.stripe.paymentIntentOf(checkout.sessionId().orElseThrow());
    f.stripe.refundInDashboard(paymentIntent, 750);
    FakeStripe.Delivery refunded = f.stripe.chargeRefunded(paymentIntent);

    assertThat(outcome(f.receive(refunded))).isEqualTo(EventOutcome.REFUNDED);
    assertThat(outcome(f.receive(refunded))).isEqualTo(EventOutcome.DUPLICATE);

    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("12.50"));
  }

  @Test
  void aDisputeFreezesTheOrganizationsSpendingUntilItIsWon() {
    Checkout checkout = f.buy(owner, "20.00");
    String paymentIntent = f.stripe.paymentIntentOf(checkout.sessionId().orElseThrow());
    ApiKey key =
        f.db
            .keys
            .create(
                owner.personalOrgId(),
                f.db.organizations.find(owner.personalOrgId()).orElseThrow().defaultWorkspaceId(),
                new KeySettings("k", null, null, null),
                false)
            .key();

    assertThat(
            outcome(
                f.receive(
                    f.stripe.dispute(DisputeEvent.OPENED, paymentIntent, 2110, "needs_response"))))
        .isEqualTo(EventOutcome.DISPUTE_OPENED);
    Assertions.assertThatThrownBy(() -> f.db.spendGate.reserve(key, Credits.ofUsd("0.01")))
        .isInstanceOf(ReservationRefusedException.class)
        .hasMessageContaining("frozen");

    assertThat(
            outcome(f.receive(f.stripe.dispute(DisputeEvent.CLOSED, paymentIntent, 2110, "won"))))
        .isEqualTo(EventOutcome.DISPUTE_CLOSED);
    Reservation resumed = f.db.spendGate.reserve(key, Credits.ofUsd("0.01"));
    f.db.spendGate.release(resumed);
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void theReconcilerAsksStripeAndCreditsAPaidCheckoutWhoseWebhookNeverCame() {
    Checkout paid = f.start(owner, "20.00");
    Checkout abandoned = f.start(owner, "10.00");
    f.stripe.pay(paid.sessionId().orElseThrow());
    f.stripe.expire(abandoned.sessionId().orElseThrow());

    CheckoutReconciler.Pass pass = f.reconciler.reconcile();

    assertThat(pass.credited()).isEqualTo(1);
    assertThat(pass.expired()).isEqualTo(1);
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(
            outcome(
                f.receive(
                    f.stripe.event("checkout.session.completed", paid.sessionId().orElseThrow()))))
        .isEqualTo(EventOutcome.ALREADY_CREDITED);
    assertThat(f.reconciler.reconcile().credited()).isZero();
  }

  private static EventOutcome outcome(StripeWebhookReceiver.Receipt receipt) {
    assertThat(receipt).isInstanceOf(Accepted.class);
    return ((Accepted) receipt).outcome();
  }
}
