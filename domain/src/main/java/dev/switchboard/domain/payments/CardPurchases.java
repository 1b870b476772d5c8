package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserId;
import dev.switchboard.domain.ledger.LeaseRetirement;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Buying credits by card. A checkout is recorded (with the idempotency key its provider calls
 * carry) before the provider is called, then opened there; the provider's event that it was paid
 * credits the organization what the record says, once, however often and concurrently events
 * arrive: each event is claimed by its id, the checkout row is locked, and the ledger transaction's
 * idempotency key is the checkout's. The crediting transaction also issues the purchase's invoice
 * and queues its receipts ({@link Invoices}, {@link Receipts}).
 */
public final class CardPurchases {

  /** The system account a card payment's money comes from. */
  static final String PAID_FROM = "stripe_purchases";

  private static final String CURRENCY = "usd";
  static final String COLUMNS =
      "SELECT id, org_id, created_by, credits_nanos, fee_nanos, total_nanos, currency,"
          + " idempotency_key, stripe_session_id, checkout_url, state, created_at, credited_at"
          + " FROM stripe_checkouts";

  private final TransactionRunner transactions;
  private final Ledger ledger;
  private final CheckoutGateway gateway;
  private final PurchaseTerms terms;
  private final Clock clock;

  private final LeaseRetirement leases;
  private final CardDisputes disputes;

  /** Purchases where no spend leases need retiring (tests of the purchase path alone). */
  public CardPurchases(
      TransactionRunner transactions,
      Ledger ledger,
      CheckoutGateway gateway,
      PurchaseTerms terms,
      Clock clock) {
    this(transactions, ledger, gateway, terms, clock, org -> {});
  }

  /**
   * @param leases retires this instance's spend leases of an organization whose balance a refund or
   *     dispute lowers
   */
  public CardPurchases(
      TransactionRunner transactions,
      Ledger ledger,
      CheckoutGateway gateway,
      PurchaseTerms terms,
      Clock clock,
      LeaseRetirement leases) {
    this.transactions = transactions;
    this.ledger = ledger;
    this.gateway = gateway;
    this.terms = terms;
    this.clock = clock;
    this.leases = leases;
    this.disputes = new CardDisputes(ledger, clock);
  }

  public PurchaseTerms terms() {
    return terms;
  }

  /** Whether the actor may buy credits for the organization (owners and billing members). */
  public boolean mayBuy(Actor actor, OrganizationId org) {
    return Buyers.mayBuy(transactions, actor, org);
  }

  /**
   * Records a checkout of {@code credits} for the organization and opens it at the provider.
   *
   * @throws AccountRefusedException when the actor may not buy there (forbidden, or not found for a
   *     stranger) or the amount is outside the terms (invalid)
   * @throws PaymentProviderException when the provider fails; the record stays {@code CREATED} with
   *     its key, and nothing is charged
   */
  public Checkout start(
      Actor actor,
      OrganizationId org,
      Credits credits,
      Function<CheckoutId, CheckoutGateway.ReturnUrls> returnUrls) {
    return start(actor, org, credits, false, returnUrls);
  }

  /**
   * Records and opens a checkout as {@link #start(Actor, OrganizationId, Credits, Function)} does;
   * with {@code saveCard} the card it is paid with is kept, on the organization's customer at the
   * provider (created once), for auto top-up.
   */
  public Checkout start(
      Actor actor,
      OrganizationId org,
      Credits credits,
      boolean saveCard,
      Function<CheckoutId, CheckoutGateway.ReturnUrls> returnUrls) {
    PurchaseQuote quote = terms.quote(credits);
    CheckoutId id = CheckoutId.newId();
    Instant now = clock.instant();
    AtomicReference<String> customerId = new AtomicReference<>();
    Checkout created =
        transactions.inTenant(
            org,
            c -> {
              Actor.Member member = Buyers.member(c, org, actor, "buying credits");
              if (saveCard) {
                customerId.set(AutoTopUps.customer(c, org).orElse(null));
              }
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO stripe_checkouts (id, org_id, created_by, credits_nanos,"
                          + " fee_nanos, total_nanos, currency, idempotency_key, state, created_at,"
                          + " saves_card) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?)")) {
                insert.setObject(1, id.value());
                insert.setObject(2, org.value());
                insert.setObject(3, member.user().value());
                insert.setLong(4, quote.credits().nanos());
                insert.setLong(5, quote.fee().nanos());
                insert.setLong(6, quote.total().nanos());
                insert.setString(7, CURRENCY);
                insert.setString(8, "checkout-" + id);
                insert.setTimestamp(9, Timestamp.from(now));
                insert.setBoolean(10, saveCard);
                insert.executeUpdate();
              }
              return find(c, org, id).orElseThrow();
            });
    if (saveCard && customerId.get() == null) {
      // the checkout saves its card on the organization's customer, made at the provider once
      customerId.set(newCustomer(org));
    }
    CheckoutGateway.OpenedSession session =
        gateway.open(created, returnUrls.apply(id), Optional.ofNullable(customerId.get()));
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE stripe_checkouts SET state = 'open', stripe_session_id = ?,"
                      + " checkout_url = ?, opened_at = ? WHERE org_id = ? AND id = ?"
                      + " AND state = 'created'")) {
            update.setString(1, session.sessionId());
            update.setString(2, session.url());
            update.setTimestamp(3, Timestamp.from(clock.instant()));
            update.setObject(4, org.value());
            update.setObject(5, id.value());
            update.executeUpdate(); // 0 when its paid event came first and opened it already
          }
          return find(c, org, id).orElseThrow();
        });
  }

  /**
   * Creates the organization's customer at the provider (under a key of the organization, so a
   * concurrent or repeated creation gets the same one) and keeps it.
   */
  private String newCustomer(OrganizationId org) {
    String created = gateway.customer(org, "customer-" + org);
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO stripe_customers (org_id, customer_id, created_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (org_id) DO NOTHING")) {
            insert.setObject(1, org.value());
            insert.setString(2, created);
            insert.setTimestamp(3, Timestamp.from(clock.instant()));
            insert.executeUpdate();
          }
          return AutoTopUps.customer(c, org).orElseThrow();
        });
  }

  /** One of the organization's checkouts, for a member who may see its credits. */
  public Optional<Checkout> find(Actor actor, OrganizationId org, CheckoutId id) {
    return transactions.inTenant(
        org,
        c -> {
          Role role;
          try {
            role = MembershipService.roleOf(c, org, actor);
          } catch (AccountRefusedException e) {
            return Optional.empty();
          }
          return role.can(Permission.VIEW_CREDITS) ? find(c, org, id) : Optional.empty();
        });
  }

  /**
   * Receives a verified provider event: claims its id (a second delivery is {@code DUPLICATE} and
   * changes nothing), and when it says a checkout of ours is paid, credits that checkout's recorded
   * amount to its organization unless it already was.
   */
  public EventOutcome receive(PaymentEvent event) {
    return transactions.acrossTenants(
        c -> {
          if (!claim(c, event.eventId(), event.type())) {
            return EventOutcome.DUPLICATE;
          }
          Optional<Checkout> found = lockedCheckout(c, event);
          EventOutcome outcome;
          if (found.isPresent()) {
            outcome = credit(c, found.get(), event);
          } else {
            outcome =
                event.sessionId().isEmpty() ? EventOutcome.IGNORED : EventOutcome.UNKNOWN_SESSION;
          }
          WebhookEvents.recordAboutCheckout(c, event.eventId(), outcome, found);
          return outcome;
        });
  }

  /**
   * Receives a verified event that a charge was refunded: a refund made in the provider's own
   * dashboard (more refunded than Switchboard asked for) takes that much out of the organization's
   * credits, once.
   */
  public EventOutcome receive(ChargeRefundedEvent event) {
    Handled handled =
        receiveAbout(
            event.eventId(),
            event.type(),
            event.paymentIntentId(),
            (c, checkout) -> CardRefunds.refundedAtProvider(c, ledger, clock, checkout, event));
    if (handled.outcome() == EventOutcome.REFUNDED) {
      handled.org().ifPresent(leases::retireLeases);
    }
    return handled.outcome();
  }

  /**
   * Receives a verified dispute event: an opened dispute takes the disputed credits aside and
   * freezes the organization's spending (this instance's spend leases of it are retired, so nothing
   * more is spent from what they hold); a closed one gives them back (won) or writes them off
   * (lost), and spending resumes when no dispute of the organization is open.
   */
  public EventOutcome receive(DisputeEvent event) {
    Handled handled =
        receiveAbout(
            event.eventId(),
            event.type(),
            event.paymentIntentId(),
            (c, checkout) -> disputes.received(c, checkout, event));
    if (handled.outcome() == EventOutcome.DISPUTE_OPENED) {
      handled.org().ifPresent(leases::retireLeases);
    }
    return handled.outcome();
  }

  /** What an event about a credited purchase does to it, inside the event's transaction. */
  @FunctionalInterface
  interface PurchaseEventWork {
    EventOutcome apply(Connection c, Checkout checkout) throws SQLException;
  }

  /** What receiving an event did, and to which organization's purchase. */
  private record Handled(EventOutcome outcome, Optional<OrganizationId> org) {}

  /**
   * Claims an event about the purchase its payment intent paid, locks that checkout and lets {@code
   * work} handle it; an event about a payment that is not one of our purchases changes nothing.
   */
  private Handled receiveAbout(
      String eventId, String type, Optional<String> paymentIntentId, PurchaseEventWork work) {
    return transactions.acrossTenants(
        c -> {
          if (!claim(c, eventId, type)) {
            return new Handled(EventOutcome.DUPLICATE, Optional.empty());
          }
          Optional<Checkout> found =
              paymentIntentId.isEmpty()
                  ? Optional.empty()
                  : query(
                      c,
                      COLUMNS + " WHERE stripe_payment_intent_id = ? FOR UPDATE",
                      paymentIntentId.get());
          EventOutcome outcome;
          if (found.isPresent()) {
            outcome = work.apply(c, found.get());
          } else {
            outcome =
                paymentIntentId.isEmpty() ? EventOutcome.IGNORED : EventOutcome.UNKNOWN_SESSION;
          }
          WebhookEvents.recordAboutCheckout(c, eventId, outcome, found);
          return new Handled(outcome, found.map(Checkout::org));
        });
  }

  private boolean claim(Connection c, String eventId, String type) throws SQLException {
    return WebhookEvents.claim(c, eventId, type, clock.instant());
  }

  /**
   * The checkout the event's session belongs to, locked. A session we have no id for yet (its
   * payment arrived before we stored the provider's answer) is found by the reference to our record
   * the session carries, while that record is still waiting for it.
   */
  private Optional<Checkout> lockedCheckout(Connection c, PaymentEvent event) throws SQLException {
    if (event.sessionId().isEmpty()) {
      return Optional.empty();
    }
    String session = event.sessionId().get();
    Optional<Checkout> bySession =
        query(c, COLUMNS + " WHERE stripe_session_id = ? FOR UPDATE", session);
    if (bySession.isPresent()) {
      return bySession;
    }
    Optional<CheckoutId> reference = event.clientReferenceId().flatMap(CheckoutId::parse);
    if (reference.isEmpty()) {
      return Optional.empty();
    }
    try (PreparedStatement adopt =
        c.prepareStatement(
            "UPDATE stripe_checkouts SET state = 'open', stripe_session_id = ?, opened_at = ?"
                + " WHERE id = ? AND state = 'created'")) {
      adopt.setString(1, session);
      adopt.setTimestamp(2, Timestamp.from(clock.instant()));
      adopt.setObject(3, reference.get().value());
      adopt.executeUpdate(); // none when a concurrent event adopted it first: found below
    }
    return query(c, COLUMNS + " WHERE stripe_session_id = ? FOR UPDATE", session);
  }

  EventOutcome credit(Connection c, Checkout checkout, PaymentEvent event) throws SQLException {
    if (checkout.isCredited()) {
      return EventOutcome.ALREADY_CREDITED;
    }
    if (!event.paid()) {
      return EventOutcome.NOT_PAID;
    }
    boolean sameCharge =
        event.amountTotalCents().isPresent()
            && event.amountTotalCents().getAsLong() == checkout.quote().totalCents()
            && event.currency().map(checkout.currency()::equalsIgnoreCase).orElse(false);
    if (!sameCharge) {
      return EventOutcome.AMOUNT_MISMATCH;
    }
    Optional<Long> transaction =
        ledger.postPurchase(
            c,
            checkout.org(),
            checkout.quote().credits(),
            checkout.quote().fee(),
            PAID_FROM,
            "stripe-checkout:" + checkout.id(),
            "Card purchase");
    if (transaction.isEmpty()) {
      return EventOutcome.ALREADY_CREDITED; // cannot happen while the row lock holds
    }
    Instant now = clock.instant();
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE stripe_checkouts SET state = 'credited', ledger_transaction_id = ?,"
                + " credited_at = ?, expired_at = NULL,"
                + " stripe_payment_intent_id = coalesce(?, stripe_payment_intent_id) WHERE id = ?")) {
      update.setLong(1, transaction.get());
      update.setTimestamp(2, Timestamp.from(now));
      update.setString(3, event.paymentIntentId().orElse(null));
      update.setObject(4, checkout.id().value());
      update.executeUpdate();
    }
    Invoices.issue(c, checkout, now); // and its receipts, sent once this commits
    return EventOutcome.CREDITED;
  }

  /**
   * The ledger transaction that credited a purchase, which the movements taking from it (refunds,
   * disputes) name.
   */
  static long purchaseTransaction(Connection c, CheckoutId id) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT ledger_transaction_id FROM stripe_checkouts"
                + " WHERE id = ? AND ledger_transaction_id IS NOT NULL")) {
      query.setObject(1, id.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("checkout " + id + " was never credited");
        }
        return rows.getLong(1);
      }
    }
  }

  static Optional<Checkout> find(Connection c, OrganizationId org, CheckoutId id)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(COLUMNS + " WHERE org_id = ? AND id = ?")) {
      query.setObject(1, org.value());
      query.setObject(2, id.value());
      return read(query);
    }
  }

  /** The organization's checkout, its row locked for the rest of the transaction. */
  static Optional<Checkout> findLocked(Connection c, OrganizationId org, CheckoutId id)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(COLUMNS + " WHERE org_id = ? AND id = ? FOR UPDATE")) {
      query.setObject(1, org.value());
      query.setObject(2, id.value());
      return read(query);
    }
  }

  static Optional<Checkout> query(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, parameter);
      return read(query);
    }
  }

  static Optional<Checkout> read(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      Timestamp credited = rows.getTimestamp(13);
      return Optional.of(
          new Checkout(
              new CheckoutId(rows.getObject(1, UUID.class)),
              new OrganizationId(rows.getObject(2, UUID.class)),
              new UserId(rows.getObject(3, UUID.class)),
              new PurchaseQuote(
                  Credits.ofNanos(rows.getLong(4)),
                  Credits.ofNanos(rows.getLong(5)),
                  Credits.ofNanos(rows.getLong(6))),
              rows.getString(7),
              rows.getString(8),
              Optional.ofNullable(rows.getString(9)),
              Optional.ofNullable(rows.getString(10)),
              CheckoutState.ofColumn(rows.getString(11)),
              rows.getTimestamp(12).toInstant(),
              Optional.ofNullable(credited).map(Timestamp::toInstant)));
    }
  }
}
