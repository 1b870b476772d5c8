package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.ledger.Reservation;
import dev.switchboard.domain.ledger.ReservationRefusedException;
import dev.switchboard.domain.money.Credits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CardDisputesTest {

  private final PaymentsFixture f = new PaymentsFixture();

  @AfterEach
  void ledgerBalances() {
    f.assertLedgerBalances();
  }

  @Test
  void aDisputeFreezesSpendingUntilItIsWonAndTheCreditsComeBack() {
    Checkout checkout = f.buy("20.00");
    f.spend("1.00"); // a lease of this instance holds part of the rest

    assertThat(f.purchases.receive(dispute("evt_d1", DisputeEvent.OPENED, checkout, 2110, "")))
        .isEqualTo(EventOutcome.DISPUTE_OPENED);

    assertThat(f.balance())
        .as("the disputed credits, at most the purchase's")
        .isEqualTo(Credits.ofUsd("-1.00"));
    assertThat(f.systemAccount("disputed_funds")).isEqualTo(Credits.ofUsd("20.00"));
    assertThatThrownBy(() -> f.db.spendGate.reserve(f.key, Credits.ofUsd("0.01")))
        .isInstanceOfSatisfying(
            ReservationRefusedException.class,
            e -> {
              assertThat(e.budget()).isEqualTo(ReservationRefusedException.Budget.FROZEN);
              assertThat(e.getMessage()).contains("frozen").contains("disputed");
            });
    assertThatThrownBy(() -> f.refunds.refund(f.ownerActor, f.org, checkout.id()))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("disputed");

    assertThat(f.purchases.receive(dispute("evt_d2", DisputeEvent.CLOSED, checkout, 2110, "won")))
        .isEqualTo(EventOutcome.DISPUTE_CLOSED);
    assertThat(f.purchases.receive(dispute("evt_d3", DisputeEvent.CLOSED, checkout, 2110, "won")))
        .as("closed twice")
        .isEqualTo(EventOutcome.DISPUTE_CLOSED);

    assertThat(f.balance()).isEqualTo(Credits.ofUsd("19.00"));
    assertThat(f.systemAccount("disputed_funds")).isEqualTo(Credits.ZERO);
    Reservation again = f.db.spendGate.reserve(f.key, Credits.ofUsd("0.01"));
    f.db.spendGate.release(again);
  }

  @Test
  void aLostDisputeTakesTheCreditsBackToWhereTheMoneyCameFrom() {
    Checkout checkout = f.buy("20.00");

    f.purchases.receive(dispute("evt_d1", DisputeEvent.OPENED, checkout, 1000, ""));
    assertThat(f.balance()).isEqualTo(Credits.ofUsd("10.00"));
    f.purchases.receive(dispute("evt_d2", DisputeEvent.CLOSED, checkout, 1000, "lost"));

    assertThat(f.balance()).isEqualTo(Credits.ofUsd("10.00"));
    assertThat(f.systemAccount("disputed_funds")).isEqualTo(Credits.ZERO);
    assertThat(f.systemAccount("stripe_purchases")).isEqualTo(Credits.ofUsd("-11.10"));
    assertThat(f.db.queryString("SELECT state FROM stripe_disputes")).isEqualTo("lost");
    Reservation unfrozen = f.db.spendGate.reserve(f.key, Credits.ofUsd("0.01"));
    f.db.spendGate.release(unfrozen);
  }

  @Test
  void aClosingThatArrivesBeforeTheOpeningIsRecordedClosedAndTheOpeningChangesNothing() {
    Checkout won = f.buy("20.00");
    Checkout lost = f.buy("30.00");

    f.purchases.receive(dispute("evt_w2", DisputeEvent.CLOSED, won, 2110, "won"));
    f.purchases.receive(dispute("evt_l2", DisputeEvent.CLOSED, lost, 3000, "lost"));
    assertThat(f.purchases.receive(dispute("evt_w1", DisputeEvent.OPENED, won, 2110, "")))
        .isEqualTo(EventOutcome.DISPUTE_OPENED);
    f.purchases.receive(dispute("evt_l1", DisputeEvent.OPENED, lost, 3000, ""));

    assertThat(f.balance())
        .as("only the lost one's credits are gone")
        .isEqualTo(Credits.ofUsd("20.00"));
    assertThat(f.db.queryLong("SELECT count(*) FROM stripe_disputes WHERE state = 'open'"))
        .isZero();
    Reservation notFrozen = f.db.spendGate.reserve(f.key, Credits.ofUsd("0.01"));
    f.db.spendGate.release(notFrozen);
  }

  @Test
  void aRepeatedOpeningUnderAnotherEventIdTakesNothingMore() {
    Checkout checkout = f.buy("20.00");

    f.purchases.receive(dispute("evt_a", DisputeEvent.OPENED, checkout, 2110, ""));
    assertThat(f.purchases.receive(dispute("evt_b", DisputeEvent.OPENED, checkout, 2110, "")))
        .isEqualTo(EventOutcome.DISPUTE_OPENED);

    assertThat(f.balance()).isEqualTo(Credits.ZERO);
    assertThat(f.systemAccount("disputed_funds")).isEqualTo(Credits.ofUsd("20.00"));
  }

  private static DisputeEvent dispute(
      String eventId, String type, Checkout checkout, long cents, String status) {
    return new DisputeEvent(
        eventId,
        type,
        "dp_" + checkout.id(),
        PaymentsFixture.paymentIntent(checkout),
        cents,
        status.isEmpty() ? "needs_response" : status);
  }
}
