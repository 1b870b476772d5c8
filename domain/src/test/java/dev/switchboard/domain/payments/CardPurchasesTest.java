package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CardPurchasesTest {

  private static final CheckoutGateway.ReturnUrls URLS =
      new CheckoutGateway.ReturnUrls("https://sb.test/done", "https://sb.test/credits");

  private final DomainFixture db = new DomainFixture(Clock.systemUTC());
  private final AccountsFixture people = new AccountsFixture(db, db.clock);
  private final RecordingGateway gateway = new RecordingGateway();
  private final CardPurchases purchases =
      new CardPurchases(db.transactions, db.ledger, gateway, PurchaseTerms.STANDARD, db.clock);
  private final User owner = people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  private final OrganizationId org = owner.personalOrgId();

  @Test
  void theCheckoutIsRecordedWithItsIdempotencyKeyBeforeTheProviderIsCalled() {
    Checkout checkout = start(owner, "20.00");

    assertThat(gateway.calls).hasSize(1);
    RecordingGateway.Call call = gateway.calls.get(0);
    assertThat(call.rowsWithKeyWhenCalled()).as("committed before the call").isEqualTo(1);
    assertThat(call.checkout().idempotencyKey()).isEqualTo(checkout.idempotencyKey());
    assertThat(call.checkout().state()).isEqualTo(CheckoutState.CREATED);
    assertThat(checkout.state()).isEqualTo(CheckoutState.OPEN);
    assertThat(checkout.sessionId()).contains(call.session().sessionId());
    assertThat(checkout.checkoutUrl()).contains(call.session().url());
    assertThat(checkout.quote().total()).isEqualTo(Credits.ofUsd("21.10"));
    assertThat(checkout.createdBy()).isEqualTo(owner.id());
  }

  @Test
  void aProviderFailureLeavesTheRecordWaitingAndCreditsNothing() {
    gateway.failing = true;
    assertThatThrownBy(() -> start(owner, "20.00")).isInstanceOf(PaymentProviderException.class);
    assertThat(db.queryLong("SELECT count(*) FROM stripe_checkouts WHERE state = 'created'"))
        .isEqualTo(1);
    assertThat(balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void onlyOwnersAndBillingMembersMayBuy() {
    User billing = people.memberOf(org, Role.BILLING);
    User admin = people.memberOf(org, Role.ADMIN);
    User member = people.memberOf(org, Role.MEMBER);
    User stranger = people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");

    assertThat(start(billing, "5.00").state()).isEqualTo(CheckoutState.OPEN);
    assertThat(purchases.mayBuy(Actor.member(billing.id()), org)).isTrue();
    for (User refused : List.of(admin, member)) {
      assertThat(purchases.mayBuy(Actor.member(refused.id()), org)).isFalse();
      assertThatThrownBy(() -> start(refused, "5.00"))
          .isInstanceOfSatisfying(
              AccountRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
    }
    assertThatThrownBy(() -> start(stranger, "5.00"))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.NOT_FOUND));
    assertThatThrownBy(
            () ->
                purchases.start(Actor.managementKey(org, "x"), org, Credits.ofUsd("5"), id -> URLS))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(db.count("stripe_checkouts")).as("only the billing member's").isEqualTo(1);
    assertThat(gateway.calls).hasSize(1);
  }

  @Test
  void anAmountOutsideTheTermsIsRefusedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> start(owner, "4.99")).isInstanceOf(AccountRefusedException.class);
    assertThat(db.count("stripe_checkouts")).isZero();
    assertThat(gateway.calls).isEmpty();
  }

  @Test
  void aPaidSessionCreditsTheRecordedAmountOnceWhateverArrivesAfter() {
    Checkout checkout = start(owner, "20.00");

    assertThat(purchases.receive(paid("evt_1", checkout))).isEqualTo(EventOutcome.CREDITED);
    assertThat(purchases.receive(paid("evt_1", checkout))).isEqualTo(EventOutcome.DUPLICATE);
    assertThat(purchases.receive(paid("evt_2", checkout))).isEqualTo(EventOutcome.ALREADY_CREDITED);

    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(systemAccount("payment_fees")).isEqualTo(1_100_000_000L);
    assertThat(systemAccount("stripe_purchases")).isEqualTo(-21_100_000_000L);
    assertThat(purchases.find(Actor.member(owner.id()), org, checkout.id()).orElseThrow())
        .satisfies(
            found -> {
              assertThat(found.state()).isEqualTo(CheckoutState.CREDITED);
              assertThat(found.creditedAt()).isPresent();
            });
    assertThat(db.count("stripe_webhook_events")).isEqualTo(2);
  }

  @Test
  void anUnpaidCompletionWaitsForTheAsynchronousPayment() {
    Checkout checkout = start(owner, "50.00");
    PaymentEvent unpaid =
        new PaymentEvent(
            "evt_unpaid",
            "checkout.session.completed",
            checkout.sessionId(),
            Optional.of(checkout.id().toString()),
            false,
            OptionalLong.of(checkout.quote().totalCents()),
            Optional.of("usd"),
            Optional.empty());

    assertThat(purchases.receive(unpaid)).isEqualTo(EventOutcome.NOT_PAID);
    assertThat(balance()).isEqualTo(Credits.ZERO);
    assertThat(purchases.receive(paid("evt_async", checkout))).isEqualTo(EventOutcome.CREDITED);
    assertThat(balance()).isEqualTo(Credits.ofUsd("50.00"));
  }

  @Test
  void anEventForASessionSwitchboardNeverCreatedCreditsNothing() {
    Checkout checkout = start(owner, "20.00");
    PaymentEvent forged =
        new PaymentEvent(
            "evt_stranger",
            "checkout.session.completed",
            Optional.of("cs_someone_else"),
            Optional.of(UUID.randomUUID().toString()),
            true,
            OptionalLong.of(checkout.quote().totalCents()),
            Optional.of("usd"),
            Optional.empty());

    assertThat(purchases.receive(forged)).isEqualTo(EventOutcome.UNKNOWN_SESSION);
    assertThat(balance()).isEqualTo(Credits.ZERO);
    assertThat(db.count("ledger_transactions WHERE kind = 'purchase'")).isZero();
  }

  @Test
  void aChargeOtherThanTheRecordedTotalCreditsNothing() {
    Checkout checkout = start(owner, "20.00");
    PaymentEvent cheaper =
        new PaymentEvent(
            "evt_cheap",
            "checkout.session.completed",
            checkout.sessionId(),
            Optional.empty(),
            true,
            OptionalLong.of(500),
            Optional.of("usd"),
            Optional.empty());

    assertThat(purchases.receive(cheaper)).isEqualTo(EventOutcome.AMOUNT_MISMATCH);
    assertThat(balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void aPaymentArrivingBeforeTheSessionWasStoredIsFoundByItsReferenceToTheRecord() {
    gateway.failing = true; // the provider's answer never reached us
    assertThatThrownBy(() -> start(owner, "20.00")).isInstanceOf(PaymentProviderException.class);
    UUID id =
        UUID.fromString(
            db.queryString("SELECT id::text FROM stripe_checkouts WHERE state = 'created'"));
    PaymentEvent event =
        new PaymentEvent(
            "evt_early",
            "checkout.session.completed",
            Optional.of("cs_early"),
            Optional.of(id.toString()),
            true,
            OptionalLong.of(2110),
            Optional.of("usd"),
            Optional.empty());

    assertThat(purchases.receive(event)).isEqualTo(EventOutcome.CREDITED);
    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void anotherOrganizationsMemberCannotSeeTheCheckout() {
    Checkout checkout = start(owner, "20.00");
    User stranger = people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");
    assertThat(purchases.find(Actor.member(stranger.id()), org, checkout.id())).isEmpty();
    assertThat(purchases.find(Actor.member(stranger.id()), stranger.personalOrgId(), checkout.id()))
        .isEmpty();
  }

  @Test
  void rowLevelSecurityShowsACheckoutOnlyInItsOrganizationOrAcrossTenants() {
    Checkout checkout = start(owner, "20.00");
    purchases.receive(paid("evt_rls", checkout));
    User stranger = people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");
    String everyCheckoutAndEvent =
        "SELECT (SELECT count(*) FROM stripe_checkouts) + (SELECT count(*) FROM"
            + " stripe_webhook_events)";

    assertThat(countAs(stranger.personalOrgId(), everyCheckoutAndEvent)).isZero();
    assertThat(countAs(org, everyCheckoutAndEvent)).isEqualTo(2);
    long acrossTenants =
        db.transactions.acrossTenants(
            c -> {
              try (var query = c.prepareStatement(everyCheckoutAndEvent);
                  var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
              }
            });
    assertThat(acrossTenants).isEqualTo(2);
  }

  private long countAs(OrganizationId tenant, String sql) {
    return db.transactions.inTenant(
        tenant,
        c -> {
          try (var query = c.prepareStatement(sql);
              var rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  private Checkout start(User who, String usd) {
    return purchases.start(Actor.member(who.id()), org, Credits.ofUsd(usd), id -> URLS);
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
        Optional.of("pi_" + checkout.id()));
  }

  private Credits balance() {
    return db.ledger.balance(org).balance();
  }

  private long systemAccount(String kind) {
    return db.queryLong(
        "SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e JOIN ledger_accounts a"
            + " ON a.id = e.account_id WHERE a.org_id IS NULL AND a.kind = '"
            + kind
            + "'");
  }

  /** A provider that opens a session for every call and notes what the database held then. */
  private final class RecordingGateway implements CheckoutGateway {

    record Call(Checkout checkout, long rowsWithKeyWhenCalled, OpenedSession session) {}

    final List<Call> calls = new ArrayList<>();
    boolean failing;

    @Override
    public OpenedSession open(
        Checkout checkout, ReturnUrls returnUrls, Optional<String> savingCardFor) {
      long rows =
          db.queryLong(
              "SELECT count(*) FROM stripe_checkouts WHERE state = 'created' AND idempotency_key = '"
                  + checkout.idempotencyKey()
                  + "'");
      if (failing) {
        throw new PaymentProviderException("the provider is unreachable", null);
      }
      OpenedSession session =
          new OpenedSession("cs_" + UUID.randomUUID(), "https://pay.test/" + checkout.id());
      calls.add(new Call(checkout, rows, session));
      return session;
    }

    @Override
    public SessionStatus lookup(String sessionId) {
      throw new PaymentProviderException("not asked in these tests", null);
    }

    @Override
    public String refund(String paymentIntentId, long amountCents, String idempotencyKey) {
      throw new PaymentProviderException("not asked in these tests", null);
    }

    @Override
    public String customer(OrganizationId org, String idempotencyKey) {
      throw new PaymentProviderException("not asked in these tests", null);
    }

    @Override
    public SavedCardCharge chargeSavedCard(
        String customerId,
        long totalCents,
        String idempotencyKey,
        UUID topUpId,
        String description) {
      throw new PaymentProviderException("not asked in these tests", null);
    }
  }
}
