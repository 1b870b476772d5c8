package dev.switchboard.payments.stripe;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.ledger.LedgerReconciler;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.AutoTopUps;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.CardRefunds;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.CheckoutReconciler;
import dev.switchboard.domain.payments.PurchaseTerms;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Card purchases wired as the application wires them, over a fresh database, with the real SDK
 * talking to a {@link FakeStripe}; the receiver accepts the fake's secret and a retired one.
 */
final class StripePurchasesFixture implements AutoCloseable {

  static final String ROTATED_SECRET = "whsec_test_previous_secret";
  static final CheckoutGateway.ReturnUrls URLS =
      new CheckoutGateway.ReturnUrls("https://sb.test/credits/return", "https://sb.test/credits");

  final Clock clock = Clock.systemUTC();
  final DomainFixture db = new DomainFixture(clock);
  final AccountsFixture people = new AccountsFixture(db, clock);
  final FakeStripe stripe = FakeStripe.start(clock);
  final StripeCheckoutGateway gateway =
      new StripeCheckoutGateway(
          StripeCheckoutGateway.client(FakeStripe.SECRET_KEY, Optional.of(stripe.apiBase())));
  final CardPurchases purchases =
      new CardPurchases(
          db.transactions, db.ledger, gateway, PurchaseTerms.STANDARD, clock, db.spendGate);
  final CardRefunds refunds =
      new CardRefunds(
          db.transactions, db.ledger, gateway, clock, db.spendGate, Duration.ofHours(24));
  final List<OutgoingMail> outbox = new CopyOnWriteArrayList<>();
  final AutoTopUps autoTopUps =
      new AutoTopUps(
          db.transactions, db.ledger, gateway, PurchaseTerms.STANDARD, outbox::add, clock);
  final CheckoutReconciler reconciler =
      new CheckoutReconciler(db.transactions, purchases, gateway, clock, Duration.ZERO);
  final StripeWebhookReceiver receiver =
      new StripeWebhookReceiver(
          List.of(FakeStripe.WEBHOOK_SECRET, ROTATED_SECRET), purchases, autoTopUps, clock);

  /** A person whose personal organization buys (they own it). */
  User owner() {
    return people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  }

  Checkout start(User owner, String usd) {
    return purchases.start(
        Actor.member(owner.id()), owner.personalOrgId(), Credits.ofUsd(usd), id -> URLS);
  }

  /** A purchase of {@code usd}, paid at the fake and credited by its webhook. */
  Checkout buy(User owner, String usd) {
    return paid(start(owner, usd));
  }

  /** A purchase that saves its card for auto top-up, paid and credited. */
  Checkout buySavingCard(User owner, String usd) {
    return paid(
        purchases.start(
            Actor.member(owner.id()), owner.personalOrgId(), Credits.ofUsd(usd), true, id -> URLS));
  }

  private Checkout paid(Checkout checkout) {
    stripe.pay(checkout.sessionId().orElseThrow());
    StripeWebhookReceiver.Receipt receipt =
        receive(stripe.event("checkout.session.completed", checkout.sessionId().orElseThrow()));
    if (!(receipt instanceof StripeWebhookReceiver.Accepted accepted)
        || accepted.outcome() != dev.switchboard.domain.payments.EventOutcome.CREDITED) {
      throw new IllegalStateException("the purchase was not credited: " + receipt);
    }
    return checkout;
  }

  StripeWebhookReceiver.Receipt receive(FakeStripe.Delivery delivery) {
    return receiver.receive(delivery.payload(), delivery.signature());
  }

  Credits balance(User owner) {
    return db.ledger.balance(owner.personalOrgId()).balance();
  }

  /** Everything a webhook could write, to see that a refused one wrote nothing. */
  String writtenByWebhooks() {
    return db.count("stripe_webhook_events")
        + " events, "
        + db.count("ledger_transactions")
        + " transactions, "
        + db.count("ledger_entries")
        + " entries, "
        + db.count("stripe_checkouts WHERE state = 'credited'")
        + " credited";
  }

  /** The books agree after the test: the reconciler finds no drift. */
  void assertBooksAgree() {
    LedgerReconciler.Report report = new LedgerReconciler(db.transactions).check();
    if (!report.clean()) {
      throw new AssertionError("the ledger drifts: " + report);
    }
  }

  @Override
  public void close() {
    stripe.close();
  }
}
