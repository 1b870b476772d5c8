package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.billing.BillingDetails;
import dev.switchboard.domain.billing.BillingDetailsService;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Crediting a card purchase issues its invoice, numbered in the organization's own sequence and
 * addressed with the billing details of that moment, and queues receipts that are sent once, after
 * the credit, whatever the mail server does.
 */
class InvoicesTest {

  private static final CheckoutGateway.ReturnUrls URLS =
      new CheckoutGateway.ReturnUrls("https://sb.test/done", "https://sb.test/credits");

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final CardPurchases purchases =
      new CardPurchases(
          db.transactions, db.ledger, new ScriptedGateway(), PurchaseTerms.STANDARD, clock);
  private final Invoices invoices = new Invoices(db.transactions);
  private final BillingDetailsService billing = new BillingDetailsService(db.transactions, clock);
  private final List<OutgoingMail> sent = new CopyOnWriteArrayList<>();
  private final Receipts receipts =
      new Receipts(db.transactions, sent::add, clock, "https://sb.test");
  private final User owner = people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  private final OrganizationId org = owner.personalOrgId();

  @Test
  void eachCreditedPurchaseGetsTheOrganizationsNextNumberOnceAndOnlyThen() {
    Checkout first = start(owner, org, "20.00");
    Checkout second = start(owner, org, "5.00");
    User other = people.verifiedUser("other-" + UUID.randomUUID() + "@example.com");
    Checkout elsewhere = start(other, other.personalOrgId(), "7.00");

    assertThat(history(owner, org)).allSatisfy(line -> assertThat(line.invoice()).isEmpty());
    purchases.receive(paid("evt_a", first));
    purchases.receive(paid("evt_a", first)); // a duplicate delivery
    purchases.receive(paid("evt_b", first)); // another event for the same session
    purchases.receive(paid("evt_c", elsewhere));
    purchases.receive(paid("evt_d", second));

    assertThat(db.count("invoices")).isEqualTo(3);
    assertThat(invoiceOf(owner, org, first).sequence()).isEqualTo(1);
    assertThat(invoiceOf(owner, org, second).sequence()).isEqualTo(2);
    assertThat(invoiceOf(other, other.personalOrgId(), elsewhere).sequence()).isEqualTo(1);
    assertThat(invoiceOf(owner, org, first).number())
        .isEqualTo("SB-" + org.value().toString().substring(0, 8).toUpperCase() + "-00001");
  }

  @Test
  void concurrentCreditsOfOneOrganizationTakeConsecutiveNumbersWithoutGaps() throws Exception {
    List<Checkout> checkouts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      checkouts.add(start(owner, org, "5.00"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<EventOutcome>> outcomes = new ArrayList<>();
      for (Checkout checkout : checkouts) {
        for (int delivery = 0; delivery < 2; delivery++) {
          String eventId = "evt_" + checkout.id() + "_" + delivery;
          outcomes.add(pool.submit(() -> purchases.receive(paid(eventId, checkout))));
        }
      }
      for (Future<EventOutcome> outcome : outcomes) {
        outcome.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(
            db.queryString(
                "SELECT string_agg(number::text, ',' ORDER BY number) FROM invoices"
                    + " WHERE org_id = '"
                    + org
                    + "'"))
        .isEqualTo("1,2,3,4,5,6,7,8");
    assertThat(db.queryLong("SELECT last_number FROM invoice_counters")).isEqualTo(8);
  }

  @Test
  void anInvoiceKeepsTheBillingDetailsItWasIssuedWith() {
    BillingDetails then =
        BillingDetails.of(
            "Acme GmbH", "Hauptstr. 1", "10115 Berlin", "DE", "DE123456789", "books@acme.test");
    billing.change(Actor.member(owner.id()), org, then);
    Checkout checkout = start(owner, org, "20.00");
    purchases.receive(paid("evt_1", checkout));

    billing.change(
        Actor.member(owner.id()),
        org,
        BillingDetails.of("Acme AG", "Elsewhere 9", null, "CH", null, null));

    Invoice invoice = invoiceOf(owner, org, checkout);
    assertThat(invoice.billedTo()).isEqualTo(then);
    assertThat(invoice.billedName()).isEqualTo("Acme GmbH");
    assertThat(invoice.quote())
        .isEqualTo(
            new PurchaseQuote(
                Credits.ofUsd("20.00"), Credits.ofUsd("1.10"), Credits.ofUsd("21.10")));
    assertThat(invoice.paymentMethod()).isEqualTo("Card (Stripe)");
    assertThat(invoice.currency()).isEqualTo("usd");
    assertThat(invoice.issuedAt()).isEqualTo(clock.instant());
  }

  @Test
  void theHistoryShowsEveryPurchaseWithItsStateToMembersWhoSeeCreditsOnly() {
    Checkout waiting = start(owner, org, "5.00");
    clock.advance(Duration.ofMinutes(1));
    Checkout credited = start(owner, org, "20.00");
    purchases.receive(paid("evt_1", credited));
    User billingMember = people.memberOf(org, Role.BILLING);
    User member = people.memberOf(org, Role.MEMBER);

    List<PurchaseRecord> lines = history(billingMember, org);
    assertThat(lines)
        .extracting(PurchaseRecord::checkout)
        .containsExactly(credited.id(), waiting.id());
    assertThat(lines.get(0).state()).isEqualTo(CheckoutState.CREDITED);
    assertThat(lines.get(0).invoiceNumber()).contains(invoiceOf(owner, org, credited).number());
    assertThat(lines.get(0).quote().fee()).isEqualTo(Credits.ofUsd("1.10"));
    assertThat(lines.get(1).state()).isEqualTo(CheckoutState.OPEN);
    assertThat(lines.get(1).invoice()).isEmpty();
    assertThat(invoices.history(Actor.member(owner.id()), org, 1, 10)).hasSize(1);

    assertThatThrownBy(() -> history(member, org))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
  }

  @Test
  void anInvoiceIsFoundOnlyInItsOrganizationAndNotByMembersWhoCannotSeeCredits() {
    Checkout checkout = start(owner, org, "20.00");
    purchases.receive(paid("evt_1", checkout));
    InvoiceId id = invoiceOf(owner, org, checkout).id();
    User other = people.verifiedUser("other-" + UUID.randomUUID() + "@example.com");
    User member = people.memberOf(org, Role.MEMBER);

    assertThat(invoices.find(Actor.member(other.id()), other.personalOrgId(), id))
        .as("another organization's invoice is unknown there")
        .isEmpty();
    assertThat(invoices.find(Actor.member(other.id()), org, id))
        .as("a stranger to the organization is told nothing")
        .isEmpty();
    assertThat(invoices.find(Actor.member(owner.id()), org, InvoiceId.newId())).isEmpty();
    assertThatThrownBy(() -> invoices.find(Actor.member(member.id()), org, id))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
  }

  @Test
  void theReceiptGoesToTheBuyerAndTheBillingAddressOnceAfterTheCredit() {
    billing.change(
        Actor.member(owner.id()),
        org,
        BillingDetails.of(null, null, null, null, null, "books@acme.test"));
    Checkout checkout = start(owner, org, "20.00");
    purchases.receive(paid("evt_1", checkout));
    assertThat(sent).as("nothing is sent inside the crediting transaction").isEmpty();

    assertThat(receipts.sendDue()).isEqualTo(2);
    purchases.receive(paid("evt_1", checkout));
    purchases.receive(paid("evt_2", checkout));
    assertThat(receipts.sendDue()).as("a duplicate webhook queues nothing").isZero();

    assertThat(sent).extracting(OutgoingMail::to).containsExactly(owner.email(), "books@acme.test");
    String number = invoiceOf(owner, org, checkout).number();
    assertThat(sent.get(0).subject()).contains("$20.00").contains(number);
    assertThat(sent.get(0).text())
        .contains("Credits:         $20.00")
        .contains("Processing fee:  $1.10")
        .contains("Total charged:   $21.10 (USD, Card (Stripe))")
        .contains("Invoice:         " + number)
        .contains("https://sb.test/credits");
  }

  @Test
  void aFailingMailServerNeverUndoesTheCreditAndTheReceiptIsSentLaterOnce() {
    List<OutgoingMail> delivered = new ArrayList<>();
    boolean[] serverDown = {true};
    Receipts flaky =
        new Receipts(
            db.transactions,
            mail -> {
              if (serverDown[0]) {
                throw new IllegalStateException("could not send e-mail: connection refused");
              }
              delivered.add(mail);
            },
            clock,
            "https://sb.test");
    Checkout checkout = start(owner, org, "20.00");

    assertThat(purchases.receive(paid("evt_1", checkout))).isEqualTo(EventOutcome.CREDITED);
    assertThat(flaky.sendDue()).isZero();
    assertThat(db.ledger.balance(org).balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(db.queryString("SELECT last_error FROM receipt_mails"))
        .contains("connection refused");
    assertThat(flaky.sendDue()).as("not due again before its retry time").isZero();

    serverDown[0] = false;
    clock.advance(Receipts.retryAfter(1));
    assertThat(flaky.sendDue()).isEqualTo(1);
    clock.advance(Duration.ofHours(1));
    assertThat(flaky.sendDue()).isZero();
    assertThat(delivered).hasSize(1);
    assertThat(db.queryLong("SELECT attempts FROM receipt_mails")).isEqualTo(2);
  }

  @Test
  void aReceiptIsTriedAtMostEightTimesWithGrowingWaits() {
    assertThat(Receipts.retryAfter(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Receipts.retryAfter(2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(Receipts.retryAfter(7)).isEqualTo(Duration.ofMinutes(64));
    assertThat(Receipts.retryAfter(30)).isEqualTo(Duration.ofHours(6));

    Receipts broken =
        new Receipts(
            db.transactions,
            mail -> {
              throw new IllegalStateException("no server");
            },
            clock,
            "https://sb.test");
    purchases.receive(paid("evt_1", start(owner, org, "20.00")));
    for (int i = 0; i < 12; i++) {
      broken.sendDue();
      clock.advance(Duration.ofHours(6));
    }
    assertThat(db.queryLong("SELECT attempts FROM receipt_mails")).isEqualTo(Receipts.MAX_ATTEMPTS);
  }

  private Checkout start(User who, OrganizationId in, String usd) {
    return purchases.start(Actor.member(who.id()), in, Credits.ofUsd(usd), id -> URLS);
  }

  private List<PurchaseRecord> history(User who, OrganizationId in) {
    return invoices.history(Actor.member(who.id()), in, 0, 50);
  }

  private Invoice invoiceOf(User who, OrganizationId in, Checkout checkout) {
    InvoiceId id =
        history(who, in).stream()
            .filter(line -> line.checkout().equals(checkout.id()))
            .findFirst()
            .flatMap(PurchaseRecord::invoice)
            .orElseThrow(() -> new AssertionError("no invoice for " + checkout.id()));
    return invoices.find(Actor.member(who.id()), in, id).orElseThrow();
  }

  private static PaymentEvent paid(String eventId, Checkout checkout) {
    return new PaymentEvent(
        eventId,
        "checkout.session.completed",
        checkout.sessionId(),
        Optional.of(checkout.id().toString()),
        true,
        OptionalLong.of(checkout.quote().totalCents()),
        Optional.of("usd"),
        Optional.empty());
  }
}
