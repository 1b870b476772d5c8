package dev.switchboard.api.platform;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.payments.crypto.UsdcChainWatcher;
import dev.switchboard.payments.crypto.UsdcWatchSchedule;
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
 * USDC purchases when {@code SWITCHBOARD_CRYPTO_RPC_URL} is set (with the token and the extended
 * public key), their chain watcher running from {@link #startWatching} to {@link #stopWatching}.
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
  private Optional<SwitchboardSettings.Crypto> crypto;
  private CryptoPurchases cryptoPurchases;
  private UsdcWatchSchedule watcher;

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
    crypto = settings.crypto();
    cryptoPurchases =
        crypto
            .map(c -> new CryptoPurchases(transactions, ledger, c.depositKey(), c.terms(), clock))
            .orElse(null);
    LOG.info(
        crypto.isPresent()
            ? "USDC purchases on " + crypto.get()
            : "USDC purchases are not configured (SWITCHBOARD_CRYPTO_RPC_URL)");
  }

  /** Starts the chain watcher when USDC purchases are configured; called once the schema is up. */
  public synchronized void startWatching() {
    if (crypto.isPresent() && watcher == null) {
      SwitchboardSettings.Crypto c = crypto.get();
      watcher =
          new UsdcWatchSchedule(
              c.rpcUrl(),
              c.tokenAddress(),
              cryptoPurchases,
              UsdcChainWatcher.Settings.of(c.confirmations()),
              c.pollInterval());
      watcher.start();
    }
  }

  public synchronized void stopWatching() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  /** USDC purchases; empty when they are not configured. */
  public Optional<CryptoPurchases> cryptoPurchases() {
    return Optional.ofNullable(cryptoPurchases);
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
