package dev.switchboard.api.platform;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.payments.stripe.StripeCheckoutGateway;
import dev.switchboard.payments.stripe.StripeWebhookReceiver;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Card purchases as configured: through Stripe when {@code STRIPE_SECRET_KEY} and {@code
 * STRIPE_WEBHOOK_SECRET} are set, otherwise disabled (no checkout opens, the webhook answers 404).
 */
@ApplicationScoped
public class PaymentServices {

  private static final Logger LOG = Logger.getLogger(PaymentServices.class.getName());

  @Inject SwitchboardSettings settings;
  @Inject TransactionRunner transactions;
  @Inject Ledger ledger;
  @Inject Clock clock;

  private CardPurchases purchases;
  private StripeWebhookReceiver webhooks;

  @PostConstruct
  void wire() {
    Optional<SwitchboardSettings.Stripe> stripe = settings.stripe();
    CheckoutGateway gateway =
        stripe
            .<CheckoutGateway>map(
                s ->
                    new StripeCheckoutGateway(
                        StripeCheckoutGateway.client(s.secretKey(), s.apiBase())))
            .orElse(
                (checkout, urls) -> {
                  throw new PaymentProviderException("Card purchases are not configured", null);
                });
    purchases = new CardPurchases(transactions, ledger, gateway, settings.purchaseTerms(), clock);
    webhooks =
        stripe
            .map(s -> new StripeWebhookReceiver(s.webhookSecrets(), purchases, clock))
            .orElse(null);
    LOG.info(
        stripe.isPresent()
            ? "Card purchases through Stripe (" + stripe.get() + ")"
            : "Card purchases are not configured (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)");
  }

  /** Whether members can buy credits by card here. */
  public boolean cardPurchasesEnabled() {
    return webhooks != null;
  }

  public CardPurchases purchases() {
    return purchases;
  }

  /** Stripe's webhook receiver; empty when card purchases are not configured. */
  public Optional<StripeWebhookReceiver> stripeWebhooks() {
    return Optional.ofNullable(webhooks);
  }
}
