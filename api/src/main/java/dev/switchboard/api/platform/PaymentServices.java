package dev.switchboard.api.platform;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.billing.BillingDetailsService;
import dev.switchboard.domain.ledger.CreditExpiry;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.payments.AutoTopUps;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.CardRefunds;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.CheckoutReconciler;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.Invoices;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.domain.payments.Receipts;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.payments.crypto.UsdcChainWatcher;
import dev.switchboard.payments.crypto.UsdcWatchSchedule;
import dev.switchboard.payments.invoices.InvoicePdf;
import dev.switchboard.payments.stripe.StripeCheckoutGateway;
import dev.switchboard.payments.stripe.StripeWebhookReceiver;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Card purchases as configured: through Stripe when {@code STRIPE_SECRET_KEY} and {@code
 * STRIPE_WEBHOOK_SECRET} are set, otherwise disabled (no checkout opens, the webhook answers 404).
 * With them, the invoices, billing details and receipts of purchases: a receipt is sent by this
 * class's own thread, right after a webhook credited its purchase and, for those that failed or
 * were queued before a restart, every minute. USDC purchases when {@code
 * SWITCHBOARD_CRYPTO_RPC_URL} is set (with the token and the extended public key), their chain
 * watcher running from {@link #startWatching} to {@link #stopWatching}.
 */
@ApplicationScoped
public class PaymentServices {

  private static final Logger LOG = Logger.getLogger(PaymentServices.class.getName());
  private static final long RECEIPT_SWEEP_SECONDS = 60;

  /** A refund still pending this long after it was asked for is asked about again. */
  private static final Duration REFUND_RETRY_AFTER = Duration.ofMinutes(1);

  /** An auto top-up still pending this long (Stripe did not answer) is charged again, same key. */
  private static final Duration TOP_UP_RETRY_AFTER = Duration.ofMinutes(1);

  @Inject SwitchboardSettings settings;
  @Inject TransactionRunner transactions;
  @Inject Ledger ledger;
  @Inject Mailer mailer;
  @Inject Clock clock;
  @Inject ClusterLeaseRetirement leaseRetirement;

  private CardPurchases purchases;
  private CardRefunds refunds;
  private AutoTopUps autoTopUps;
  private CreditExpiry expiry;
  private CheckoutReconciler reconciler;
  private StripeWebhookReceiver webhooks;
  private Invoices invoices;
  private InvoicePdf invoicePdf;
  private BillingDetailsService billingDetails;
  private Receipts receipts;
  private ScheduledExecutorService receiptSender;
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
            .orElseGet(NotConfigured::new);
    purchases =
        new CardPurchases(
            transactions, ledger, gateway, settings.purchaseTerms(), clock, leaseRetirement);
    refunds =
        new CardRefunds(
            transactions, ledger, gateway, clock, leaseRetirement, settings.stripeRefundWindow());
    autoTopUps =
        new AutoTopUps(transactions, ledger, gateway, settings.purchaseTerms(), mailer, clock);
    expiry =
        new CreditExpiry(
            transactions,
            ledger,
            leaseRetirement,
            mailer,
            clock,
            settings.creditLifetime(),
            settings.creditExpiryWarning());
    reconciler =
        new CheckoutReconciler(
            transactions, purchases, gateway, clock, settings.stripeReconcileAfter());
    webhooks =
        stripe
            .map(s -> new StripeWebhookReceiver(s.webhookSecrets(), purchases, autoTopUps, clock))
            .orElse(null);
    invoices = new Invoices(transactions);
    invoicePdf = new InvoicePdf("Switchboard", settings.publicUrl());
    billingDetails = new BillingDetailsService(transactions, clock);
    receipts = new Receipts(transactions, mailer, clock, settings.publicUrl());
    receiptSender =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "switchboard-receipts");
              thread.setDaemon(true);
              return thread;
            });
    LOG.info(
        stripe.isPresent()
            ? "Card purchases through Stripe (" + stripe.get() + ")"
            : "Card purchases are not configured (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)");
    crypto = settings.crypto();
    cryptoPurchases =
        crypto
            .map(
                c ->
                    new CryptoPurchases(
                        transactions, ledger, c.depositKey(), c.terms(), clock, leaseRetirement))
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

  /**
   * One pass of the card upkeep (run periodically when card purchases are configured): checkouts
   * whose webhook never came are asked about, refunds whose answer was lost are asked again.
   */
  public void reconcile() {
    if (!cardPurchasesEnabled()) {
      return;
    }
    CheckoutReconciler.Pass pass = reconciler.reconcile();
    int refunded = refunds.retryPending(REFUND_RETRY_AFTER);
    if (pass.credited() + pass.expired() + refunded > 0) {
      LOG.info(
          "card upkeep: "
              + pass.credited()
              + " checkouts credited late, "
              + pass.expired()
              + " expired, "
              + refunded
              + " pending refunds finished");
    }
  }

  public CardRefunds refunds() {
    return refunds;
  }

  public AutoTopUps autoTopUps() {
    return autoTopUps;
  }

  /**
   * Tops up the organizations whose balance is below their auto top-up threshold (run every few
   * seconds when card purchases are configured; safe on every instance at once).
   */
  public void topUp() {
    if (cardPurchasesEnabled()) {
      autoTopUps.run(TOP_UP_RETRY_AFTER);
    }
  }

  /**
   * Expires what is left of credits bought longer ago than their lifetime and warns of those about
   * to (run periodically, whether or not card purchases are configured; safe on every instance).
   */
  public void expireCredits() {
    CreditExpiry.Pass pass = expiry.run();
    if (pass.warned() + pass.expired() > 0) {
      LOG.info(
          "credit expiry: "
              + pass.expired()
              + " purchases expired ($"
              + pass.expiredCredits().toUsdString()
              + "), "
              + pass.warned()
              + " organizations warned");
    }
  }

  /** Starts the periodic sending of receipts that are due; called once the schema is migrated. */
  public void startSendingReceipts() {
    receiptSender.scheduleWithFixedDelay(
        this::sendDueReceipts, 0, RECEIPT_SWEEP_SECONDS, TimeUnit.SECONDS);
  }

  /** Sends the receipts that are due soon, on the receipts thread (a webhook just credited one). */
  public void sendReceiptsSoon() {
    try {
      receiptSender.execute(this::sendDueReceipts);
    } catch (RejectedExecutionException e) {
      // stopping: the next start sends it
    }
  }

  @PreDestroy
  void stop() {
    if (receiptSender != null) {
      receiptSender.shutdownNow();
    }
  }

  private void sendDueReceipts() {
    try {
      receipts.sendDue();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "sending receipts failed; retrying on schedule", e);
    }
  }

  /** Whether members can buy credits by card here. */
  public boolean cardPurchasesEnabled() {
    return webhooks != null;
  }

  public CardPurchases purchases() {
    return purchases;
  }

  /** The purchase history and the invoices of purchases. */
  public Invoices invoices() {
    return invoices;
  }

  public InvoicePdf invoicePdf() {
    return invoicePdf;
  }

  public BillingDetailsService billingDetails() {
    return billingDetails;
  }

  /** The gateway without Stripe: every call says card purchases are not configured. */
  private static final class NotConfigured implements CheckoutGateway {

    @Override
    public OpenedSession open(
        Checkout checkout, ReturnUrls returnUrls, Optional<String> savingCardFor) {
      throw notConfigured();
    }

    @Override
    public String customer(OrganizationId org, String idempotencyKey) {
      throw notConfigured();
    }

    @Override
    public SavedCardCharge chargeSavedCard(
        String customerId,
        long totalCents,
        String idempotencyKey,
        UUID topUpId,
        String description) {
      throw notConfigured();
    }

    @Override
    public SessionStatus lookup(String sessionId) {
      throw notConfigured();
    }

    @Override
    public String refund(String paymentIntentId, long amountCents, String idempotencyKey) {
      throw notConfigured();
    }

    private static PaymentProviderException notConfigured() {
      return new PaymentProviderException("Card purchases are not configured", null, true);
    }
  }

  /** Stripe's webhook receiver; empty when card purchases are not configured. */
  public Optional<StripeWebhookReceiver> stripeWebhooks() {
    return Optional.ofNullable(webhooks);
  }
}
