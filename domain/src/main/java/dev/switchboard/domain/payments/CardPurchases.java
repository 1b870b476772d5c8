package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserId;
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
  private static final String COLUMNS =
      "SELECT id, org_id, created_by, credits_nanos, fee_nanos, total_nanos, currency,"
          + " idempotency_key, stripe_session_id, checkout_url, state, created_at, credited_at"
          + " FROM stripe_checkouts";

  private final TransactionRunner transactions;
  private final Ledger ledger;
  private final CheckoutGateway gateway;
  private final PurchaseTerms terms;
  private final Clock clock;

  public CardPurchases(
      TransactionRunner transactions,
      Ledger ledger,
      CheckoutGateway gateway,
      PurchaseTerms terms,
      Clock clock) {
    this.transactions = transactions;
    this.ledger = ledger;
    this.gateway = gateway;
    this.terms = terms;
    this.clock = clock;
  }

  public PurchaseTerms terms() {
    return terms;
  }

  /** Whether the actor may buy credits for the organization (owners and billing members). */
  public boolean mayBuy(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          try {
            return MembershipService.roleOf(c, org, actor).can(Permission.BUY_CREDITS);
          } catch (AccountRefusedException e) {
            return false;
          }
        });
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
    PurchaseQuote quote = terms.quote(credits);
    CheckoutId id = CheckoutId.newId();
    Instant now = clock.instant();
    Checkout created =
        transactions.inTenant(
            org,
            c -> {
              Role role = MembershipService.roleOf(c, org, actor);
              if (!role.can(Permission.BUY_CREDITS) || !(actor instanceof Actor.Member member)) {
                throw new AccountRefusedException(
                    AccountRefusedException.Reason.FORBIDDEN,
                    "Your role (" + role.wireName() + ") does not allow buying credits");
              }
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO stripe_checkouts (id, org_id, created_by, credits_nanos,"
                          + " fee_nanos, total_nanos, currency, idempotency_key, state, created_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)")) {
                insert.setObject(1, id.value());
                insert.setObject(2, org.value());
                insert.setObject(3, member.user().value());
                insert.setLong(4, quote.credits().nanos());
                insert.setLong(5, quote.fee().nanos());
                insert.setLong(6, quote.total().nanos());
                insert.setString(7, CURRENCY);
                insert.setString(8, "checkout-" + id);
                insert.setTimestamp(9, Timestamp.from(now));
                insert.executeUpdate();
              }
              return find(c, org, id).orElseThrow();
            });
    CheckoutGateway.OpenedSession session = gateway.open(created, returnUrls.apply(id));
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
          if (!claim(c, event)) {
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
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE stripe_webhook_events SET outcome = ?, org_id = ?, checkout_id = ?"
                      + " WHERE event_id = ?")) {
            update.setString(1, outcome.column());
            update.setObject(2, found.map(checkout -> checkout.org().value()).orElse(null));
            update.setObject(3, found.map(checkout -> checkout.id().value()).orElse(null));
            update.setString(4, event.eventId());
            update.executeUpdate();
          }
          return outcome;
        });
  }

  /** Inserts the event's row; false when it is there already (waiting for a concurrent insert). */
  private boolean claim(Connection c, PaymentEvent event) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO stripe_webhook_events (event_id, type, outcome, received_at)"
                + " VALUES (?, ?, 'ignored', ?) ON CONFLICT (event_id) DO NOTHING")) {
      insert.setString(1, event.eventId());
      insert.setString(2, event.type());
      insert.setTimestamp(3, Timestamp.from(clock.instant()));
      return insert.executeUpdate() == 1;
    }
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

  private EventOutcome credit(Connection c, Checkout checkout, PaymentEvent event)
      throws SQLException {
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
                + " credited_at = ? WHERE id = ?")) {
      update.setLong(1, transaction.get());
      update.setTimestamp(2, Timestamp.from(now));
      update.setObject(3, checkout.id().value());
      update.executeUpdate();
    }
    Invoices.issue(c, checkout, now); // and its receipts, sent once this commits
    return EventOutcome.CREDITED;
  }

  private static Optional<Checkout> find(Connection c, OrganizationId org, CheckoutId id)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(COLUMNS + " WHERE org_id = ? AND id = ?")) {
      query.setObject(1, org.value());
      query.setObject(2, id.value());
      return read(query);
    }
  }

  private static Optional<Checkout> query(Connection c, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, parameter);
      return read(query);
    }
  }

  private static Optional<Checkout> read(PreparedStatement query) throws SQLException {
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
