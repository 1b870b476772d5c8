package dev.switchboard.api.platform;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.billing.BillingDetailsService;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.Invoices;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.domain.payments.Receipts;
import dev.switchboard.payments.invoices.InvoicePdf;
import dev.switchboard.payments.stripe.StripeCheckoutGateway;
import dev.switchboard.payments.stripe.StripeWebhookReceiver;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
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
 * were queued before a restart, every minute.
 */
@ApplicationScoped
public class PaymentServices {

  private static final Logger LOG = Logger.getLogger(PaymentServices.class.getName());
  private static final long RECEIPT_SWEEP_SECONDS = 60;

  @Inject SwitchboardSettings settings;
  @Inject TransactionRunner transactions;
  @Inject Ledger ledger;
  @Inject Mailer mailer;
  @Inject Clock clock;

  private CardPurchases purchases;
  private StripeWebhookReceiver webhooks;
  private Invoices invoices;
  private InvoicePdf invoicePdf;
  private BillingDetailsService billingDetails;
  private Receipts receipts;
  private ScheduledExecutorService receiptSender;

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

  /** Stripe's webhook receiver; empty when card purchases are not configured. */
  public Optional<StripeWebhookReceiver> stripeWebhooks() {
    return Optional.ofNullable(webhooks);
  }
}
