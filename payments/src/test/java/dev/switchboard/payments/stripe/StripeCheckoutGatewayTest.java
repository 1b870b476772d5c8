package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutState;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.domain.payments.PurchaseTerms;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opening checkouts through the real stripe-java SDK against the fake Stripe. */
class StripeCheckoutGatewayTest {

  private final StripePurchasesFixture f = new StripePurchasesFixture();
  private final User owner = f.owner();

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void opensASessionChargingTheCreditsAndTheFeeWithTheRecordsIdempotencyKey() {
    Checkout checkout = f.start(owner, "20.00");

    assertThat(checkout.state()).isEqualTo(CheckoutState.OPEN);
    ObjectNode session = f.stripe.session(checkout.sessionId().orElseThrow()).orElseThrow();
    assertThat(session.path("amount_total").asLong()).isEqualTo(2110);
    assertThat(session.path("currency").asText()).isEqualTo("usd");
    assertThat(session.path("mode").asText()).isEqualTo("payment");
    assertThat(session.path("client_reference_id").asText()).isEqualTo(checkout.id().toString());
    assertThat(session.path("success_url").asText())
        .isEqualTo(StripePurchasesFixture.URLS.success());
    assertThat(checkout.checkoutUrl()).contains(session.path("url").asText());
    assertThat(f.stripe.received())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.path()).isEqualTo("/v1/checkout/sessions");
              assertThat(request.idempotencyKey()).isEqualTo(checkout.idempotencyKey());
            });
  }

  @Test
  void aRetriedCallAfterAStripeFailureCarriesTheSameKeyAndOpensOneSession() {
    f.stripe.failNextCreations(1);

    Checkout checkout = f.start(owner, "20.00");

    assertThat(f.stripe.received()).hasSize(2);
    assertThat(f.stripe.received())
        .allSatisfy(r -> assertThat(r.idempotencyKey()).isEqualTo(checkout.idempotencyKey()));
    assertThat(f.stripe.sessionCount()).isEqualTo(1);
    assertThat(checkout.state()).isEqualTo(CheckoutState.OPEN);
  }

  @Test
  void aRefusedSecretKeyFailsTheCheckoutWithoutNamingTheKey() {
    CardPurchases wrongKey =
        new CardPurchases(
            f.db.transactions,
            f.db.ledger,
            new StripeCheckoutGateway(
                StripeCheckoutGateway.client(
                    "sk_test_not_the_right_one", Optional.of(f.stripe.apiBase()))),
            PurchaseTerms.STANDARD,
            f.clock);

    assertThatThrownBy(
            () ->
                wrongKey.start(
                    dev.switchboard.domain.accounts.Actor.member(owner.id()),
                    owner.personalOrgId(),
                    dev.switchboard.domain.money.Credits.ofUsd("20.00"),
                    id -> StripePurchasesFixture.URLS))
        .isInstanceOf(PaymentProviderException.class)
        .hasMessageNotContaining("sk_test_not_the_right_one");
    assertThat(f.db.count("stripe_checkouts WHERE state = 'created'")).isEqualTo(1);
    assertThat(f.stripe.sessionCount()).isZero();
  }
}
