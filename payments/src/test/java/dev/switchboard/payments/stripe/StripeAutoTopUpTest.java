package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.AutoTopUps;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Auto top-up through the real SDK against the fake Stripe: the card a checkout saved on the
 * organization's customer is charged off-session, once per top-up however often it is asked.
 */
class StripeAutoTopUpTest {

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
  void theCardACheckoutSavedIsChargedOffSessionWhenTheBalanceIsBelowTheThreshold() {
    f.buySavingCard(owner, "20.00");
    f.autoTopUps.configure(
        buyer, owner.personalOrgId(), true, Credits.ofUsd("50.00"), Credits.ofUsd("25.00"));

    assertThat(f.autoTopUps.run(Duration.ofMinutes(1)))
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo("succeeded"));

    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("45.00"));
    assertThat(f.stripe.savedCardCharges()).isEqualTo(1);
    assertThat(f.stripe.received())
        .filteredOn(r -> r.path().equals("/v1/customers"))
        .singleElement()
        .satisfies(
            r -> assertThat(r.idempotencyKey()).isEqualTo("customer-" + owner.personalOrgId()));
  }

  @Test
  void aChargeStripeDoesNotAnswerIsAskedAgainUnderTheSameKeyAndMadeOnce() {
    f.buySavingCard(owner, "20.00");
    f.autoTopUps.configure(
        buyer, owner.personalOrgId(), true, Credits.ofUsd("50.00"), Credits.ofUsd("25.00"));
    f.stripe.failNextPaymentIntents(3); // the SDK's own two retries fail too

    assertThat(f.autoTopUps.run(Duration.ofMinutes(1))).isEmpty();
    assertThat(f.autoTopUps.run(Duration.ZERO)).hasSize(1);

    assertThat(f.stripe.savedCardCharges()).isEqualTo(1);
    assertThat(f.stripe.received())
        .filteredOn(r -> r.path().equals("/v1/payment_intents"))
        .extracting(FakeStripe.Received::idempotencyKey)
        .hasSize(4)
        .containsOnly(
            f.stripe.received().stream()
                .filter(r -> r.path().equals("/v1/payment_intents"))
                .findFirst()
                .orElseThrow()
                .idempotencyKey());
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("45.00"));
  }

  @Test
  void aDeclinedCardIsRecordedAndMailedAndCreditsNothing() {
    f.buySavingCard(owner, "20.00");
    f.autoTopUps.configure(
        buyer, owner.personalOrgId(), true, Credits.ofUsd("50.00"), Credits.ofUsd("25.00"));
    f.stripe.declineSavedCards(true);

    assertThat(f.autoTopUps.run(Duration.ofMinutes(1)))
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo("declined"));

    AutoTopUps.Settings settings = f.autoTopUps.settings(buyer, owner.personalOrgId());
    assertThat(settings.lastFailure()).contains("Your card has insufficient funds.");
    assertThat(f.outbox)
        .singleElement()
        .satisfies(m -> assertThat(m.to()).isEqualTo(owner.email()));
    assertThat(f.balance(owner)).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void aPurchaseThatDidNotSaveItsCardLeavesNoCardToCharge() {
    f.buy(owner, "20.00");

    assertThat(f.stripe.received()).noneMatch(r -> r.path().equals("/v1/customers"));
    assertThat(f.autoTopUps.settings(buyer, owner.personalOrgId()).cardSaved()).isFalse();
  }
}
