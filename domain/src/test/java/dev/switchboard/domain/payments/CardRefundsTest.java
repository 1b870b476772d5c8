package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountRefusedException.Reason;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import java.time.Duration;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CardRefundsTest {

  private final PaymentsFixture f = new PaymentsFixture();

  @AfterEach
  void ledgerBalances() {
    f.assertLedgerBalances();
  }

  @Test
  void aRefundGivesTheUnusedCreditsBackButNotTheFeeAndOnlyOnce() {
    Checkout checkout = f.buy("20.00");

    CardRefund refund = f.refunds.refund(f.ownerActor, f.org, checkout.id());

    assertThat(refund.state()).isEqualTo(CardRefund.State.SUCCEEDED);
    assertThat(refund.amount()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
    assertThat(f.systemAccount("payment_fees")).isEqualTo(Credits.ofUsd("1.10"));
    assertThat(f.systemAccount("stripe_purchases")).isEqualTo(Credits.ofUsd("-1.10"));
    assertThat(f.gateway.refundCalls)
        .containsExactly(
            new ScriptedGateway.RefundCall(
                ScriptedGateway.paymentIntentOf(checkout.sessionId().orElseThrow()),
                2000,
                "refund-" + refund.id()));
    refused(() -> f.refunds.refund(f.ownerActor, f.org, checkout.id()), Reason.CONFLICT);
    assertThat(f.gateway.refundCalls).hasSize(1);
    assertThat(f.refunds.refundsOf(f.ownerActor, f.org, checkout.id())).containsExactly(refund);
  }

  @Test
  void spentCreditsAreNotRefundedAndWhatIsLeftIsRoundedDownToTheCent() {
    Checkout checkout = f.buy("20.00");
    f.spend("5.004"); // this instance now leases part of what is left; the refund retires it

    CardRefund refund = f.refunds.refund(f.ownerActor, f.org, checkout.id());

    assertThat(refund.amount()).isEqualTo(Credits.ofUsd("14.99"));
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("0.006"));
    assertThat(f.db.queryLong("SELECT count(*) FROM reservations")).isZero();
  }

  @Test
  void aRefusalGivesTheCreditsBack() {
    Checkout checkout = f.buy("20.00");
    f.gateway.mode = ScriptedGateway.Mode.REFUSE;

    CardRefund refund = f.refunds.refund(f.ownerActor, f.org, checkout.id());

    assertThat(refund.state()).isEqualTo(CardRefund.State.FAILED);
    assertThat(refund.failure()).contains("charge_already_refunded");
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void anUnansweredRefundStaysPendingHoldsItsCreditsAndIsAskedAgainUnderTheSameKey() {
    Checkout checkout = f.buy("20.00");
    f.gateway.mode = ScriptedGateway.Mode.UNREACHABLE;

    CardRefund pending = f.refunds.refund(f.ownerActor, f.org, checkout.id());

    assertThat(pending.state()).isEqualTo(CardRefund.State.PENDING);
    assertThat(f.balance()).as("held while the provider decides").isEqualTo(Credits.ZERO);
    refused(() -> f.refunds.refund(f.ownerActor, f.org, checkout.id()), Reason.CONFLICT);
    assertThat(f.refunds.retryPending(Duration.ofMinutes(1))).as("too recent").isZero();

    f.gateway.mode = ScriptedGateway.Mode.ANSWER;
    f.clock.advance(Duration.ofMinutes(2));
    assertThat(f.refunds.retryPending(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(f.refunds.retryPending(Duration.ofMinutes(1))).isZero();

    assertThat(f.refunds.refundsOf(f.ownerActor, f.org, checkout.id()))
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(CardRefund.State.SUCCEEDED));
    assertThat(f.gateway.refundCalls)
        .extracting(ScriptedGateway.RefundCall::idempotencyKey)
        .containsExactly("refund-" + pending.id(), "refund-" + pending.id());
    assertThat(f.balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void onlyOwnersAndBillingMembersRefundWithinTheWindowOfAPaidPurchase() {
    Checkout unpaid = f.open("10.00");
    Checkout checkout = f.buy("20.00");
    User admin = f.people.memberOf(f.org, Role.ADMIN);
    User member = f.people.memberOf(f.org, Role.MEMBER);
    User stranger = f.people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");

    refused(
        () -> f.refunds.refund(Actor.member(admin.id()), f.org, checkout.id()), Reason.FORBIDDEN);
    refused(
        () -> f.refunds.refund(Actor.member(member.id()), f.org, checkout.id()), Reason.FORBIDDEN);
    refused(
        () -> f.refunds.refund(Actor.member(stranger.id()), f.org, checkout.id()),
        Reason.NOT_FOUND);
    refused(
        () -> f.refunds.refund(Actor.managementKey(f.org, "k"), f.org, checkout.id()),
        Reason.FORBIDDEN);
    refused(() -> f.refunds.refund(f.ownerActor, f.org, CheckoutId.newId()), Reason.NOT_FOUND);
    refused(() -> f.refunds.refund(f.ownerActor, f.org, unpaid.id()), Reason.CONFLICT);
    f.clock.advance(Duration.ofHours(24).plusSeconds(1));
    refused(() -> f.refunds.refund(f.ownerActor, f.org, checkout.id()), Reason.CONFLICT);

    User billing = f.people.memberOf(f.org, Role.BILLING);
    Checkout recent = f.buy("5.00");
    assertThat(f.refunds.refund(Actor.member(billing.id()), f.org, recent.id()).state())
        .isEqualTo(CardRefund.State.SUCCEEDED);
    assertThat(f.db.count("stripe_refunds")).isEqualTo(1);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void aRefundMadeInTheProvidersDashboardComesOutOfTheCreditsThenTheFeeOnce() {
    Checkout checkout = f.buy("20.00");
    ChargeRefundedEvent partial = refunded("evt_r1", checkout, 500);
    ChargeRefundedEvent whole = refunded("evt_r2", checkout, 2110);

    assertThat(f.purchases.receive(partial)).isEqualTo(EventOutcome.REFUNDED);
    assertThat(f.purchases.receive(partial)).isEqualTo(EventOutcome.DUPLICATE);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("15.00"));
    assertThat(f.purchases.receive(whole)).isEqualTo(EventOutcome.REFUNDED);
    assertThat(f.purchases.receive(refunded("evt_r3", checkout, 2110)))
        .as("the same total again")
        .isEqualTo(EventOutcome.REFUNDED);

    assertThat(f.balance()).isEqualTo(Credits.ZERO);
    assertThat(f.systemAccount("payment_fees")).isEqualTo(Credits.ZERO);
    assertThat(f.systemAccount("stripe_purchases")).isEqualTo(Credits.ZERO);
    assertThat(f.db.queryLong("SELECT count(*) FROM stripe_refunds WHERE source = 'stripe'"))
        .isEqualTo(2);
  }

  @Test
  void theChargeEventOfOurOwnRefundTakesNothingMore() {
    Checkout checkout = f.buy("20.00");
    f.refunds.refund(f.ownerActor, f.org, checkout.id());

    assertThat(f.purchases.receive(refunded("evt_ours", checkout, 2000)))
        .isEqualTo(EventOutcome.REFUNDED);

    assertThat(f.balance()).isEqualTo(Credits.ZERO);
    assertThat(f.db.count("stripe_refunds")).isEqualTo(1);
  }

  @Test
  void aChargeEventForAPaymentSwitchboardNeverTookChangesNothing() {
    f.buy("20.00");
    ChargeRefundedEvent foreign =
        new ChargeRefundedEvent(
            "evt_foreign",
            "charge.refunded",
            "ch_foreign",
            java.util.Optional.of("pi_foreign"),
            2110,
            java.util.Optional.of("usd"));

    assertThat(f.purchases.receive(foreign)).isEqualTo(EventOutcome.UNKNOWN_SESSION);
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("20.00"));
  }

  private static ChargeRefundedEvent refunded(String eventId, Checkout checkout, long cents) {
    return new ChargeRefundedEvent(
        eventId,
        "charge.refunded",
        "ch_" + checkout.id(),
        PaymentsFixture.paymentIntent(checkout),
        cents,
        java.util.Optional.of("usd"));
  }

  private static void refused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            AccountRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
