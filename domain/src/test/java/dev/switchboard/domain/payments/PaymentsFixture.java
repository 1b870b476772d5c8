package dev.switchboard.domain.payments;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.ledger.CreditExpiry;
import dev.switchboard.domain.ledger.LedgerReconciler;
import dev.switchboard.domain.ledger.Reservation;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An organization with an owner and an API key, buying credits by card through a scripted provider,
 * with refunds, disputes and the reconciler wired as the platform wires them (this instance's spend
 * gate retires its leases).
 */
final class PaymentsFixture {

  static final CheckoutGateway.ReturnUrls URLS =
      new CheckoutGateway.ReturnUrls("https://sb.test/done", "https://sb.test/credits");

  final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  final DomainFixture db = new DomainFixture(clock);
  final AccountsFixture people = new AccountsFixture(db, clock);
  final ScriptedGateway gateway = new ScriptedGateway();
  final CardPurchases purchases =
      new CardPurchases(
          db.transactions, db.ledger, gateway, PurchaseTerms.STANDARD, clock, db.spendGate);
  final CardRefunds refunds =
      new CardRefunds(
          db.transactions, db.ledger, gateway, clock, db.spendGate, Duration.ofHours(24));
  final CheckoutReconciler reconciler =
      new CheckoutReconciler(db.transactions, purchases, gateway, clock, Duration.ofMinutes(15));
  final List<OutgoingMail> outbox = new CopyOnWriteArrayList<>();
  final AutoTopUps autoTopUps =
      new AutoTopUps(
          db.transactions, db.ledger, gateway, PurchaseTerms.STANDARD, outbox::add, clock);
  final CreditExpiry expiry =
      new CreditExpiry(
          db.transactions,
          db.ledger,
          db.spendGate,
          outbox::add,
          clock,
          Duration.ofDays(365),
          Duration.ofDays(30));
  final OrganizationRepository.Founded founded = db.orgWithCredits("0");
  final OrganizationId org = founded.organization().id();
  final ApiKey key = founded.managementKey().key();
  final User owner = people.memberOf(org, Role.OWNER);
  final Actor ownerActor = Actor.member(owner.id());

  /** A checkout of {@code usd} credits, opened at the provider and not paid yet. */
  Checkout open(String usd) {
    return purchases.start(ownerActor, org, Credits.ofUsd(usd), id -> URLS);
  }

  /** A purchase of {@code usd} credits, paid and credited by its webhook. */
  Checkout buy(String usd) {
    return paid(open(usd));
  }

  /** A purchase that saves its card for auto top-up, paid and credited. */
  Checkout buySavingCard(String usd) {
    return paid(purchases.start(ownerActor, org, Credits.ofUsd(usd), true, id -> URLS));
  }

  private Checkout paid(Checkout checkout) {
    gateway.paid(checkout.sessionId().orElseThrow());
    EventOutcome outcome = purchases.receive(paidEvent("evt_paid_" + checkout.id(), checkout));
    if (outcome != EventOutcome.CREDITED) {
      throw new IllegalStateException("the purchase was not credited: " + outcome);
    }
    return checkout;
  }

  static PaymentEvent paidEvent(String eventId, Checkout checkout) {
    return new PaymentEvent(
        eventId,
        "checkout.session.completed",
        checkout.sessionId(),
        Optional.of(checkout.id().toString()),
        true,
        OptionalLong.of(checkout.quote().totalCents()),
        Optional.of("usd"),
        Optional.of(ScriptedGateway.paymentIntentOf(checkout.sessionId().orElseThrow())));
  }

  static Optional<String> paymentIntent(Checkout checkout) {
    return Optional.of(ScriptedGateway.paymentIntentOf(checkout.sessionId().orElseThrow()));
  }

  /** Spends {@code usd} with the organization's key, as a request settles. */
  void spend(String usd) {
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd(usd));
    db.spendGate.settle(reservation, db.generation(key, Credits.ofUsd(usd)));
    db.awaitSettled();
  }

  Credits balance() {
    return db.ledger.balance(org).balance();
  }

  /** What the platform's account of {@code kind} holds, from its entries. */
  Credits systemAccount(String kind) {
    return Credits.ofNanos(
        db.queryLong(
            "SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e JOIN ledger_accounts a"
                + " ON a.id = e.account_id WHERE a.org_id IS NULL AND a.kind = '"
                + kind
                + "'"));
  }

  /**
   * The books agree: every transaction's legs sum to zero, and every organization's balance is the
   * sum of its entries and what its records say (the reconciler's check).
   */
  void assertLedgerBalances() {
    LedgerReconciler.Report report = new LedgerReconciler(db.transactions).check();
    if (!report.clean()) {
      throw new AssertionError("the ledger drifts: " + report);
    }
  }
}
