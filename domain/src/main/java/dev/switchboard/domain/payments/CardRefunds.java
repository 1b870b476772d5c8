package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.ledger.LeaseRetirement;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.Ledger.Leg;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Refunds of card purchases' unused credits, within a window after the purchase (a day by default);
 * the fee is not refunded.
 *
 * <p>What can be refunded is the purchase's credits not refunded yet, at most what the organization
 * has available (its balance less what requests and spend leases hold, after this instance's leases
 * of it are handed back), in whole cents. The refund's ledger transaction takes the credits out
 * before the provider is asked, under the same locks that grant spend leases, so they cannot be
 * spent twice; the provider call carries the refund's idempotency key, stored first. A refusal
 * gives the credits back by a reversing transaction; a failure whose outcome is unknown leaves the
 * refund pending, and {@link #retryPending} asks again with the same key, so it is made once.
 *
 * <p>A refund made in the provider's own dashboard arrives as a charge event and is taken out of
 * the credits as well (source {@code stripe}), once, by how much more the charge says is refunded
 * than Switchboard recorded.
 */
public final class CardRefunds {

  private static final Logger LOG = Logger.getLogger(CardRefunds.class.getName());
  private static final long NANOS_PER_CENT = 10_000_000L;
  private static final String COLUMNS =
      "SELECT id, checkout_id, amount_nanos, state, failure, created_at FROM stripe_refunds";

  private final TransactionRunner transactions;
  private final Ledger ledger;
  private final CheckoutGateway gateway;
  private final Clock clock;
  private final LeaseRetirement leases;
  private final Duration window;

  public CardRefunds(
      TransactionRunner transactions,
      Ledger ledger,
      CheckoutGateway gateway,
      Clock clock,
      LeaseRetirement leases,
      Duration window) {
    this.transactions = transactions;
    this.ledger = ledger;
    this.gateway = gateway;
    this.clock = clock;
    this.leases = leases;
    this.window = window;
  }

  /** How long after its purchase a purchase can be refunded. */
  public Duration window() {
    return window;
  }

  /**
   * Refunds what is left unused of a purchase, for an owner or billing member.
   *
   * @throws AccountRefusedException NOT_FOUND for a purchase the actor cannot see, FORBIDDEN for a
   *     role that may not refund, CONFLICT when the purchase cannot be refunded now (not paid, too
   *     old, disputed, a refund of it pending, nothing of it left)
   * @throws PaymentProviderException never: a provider failure leaves the refund pending or failed,
   *     as the returned refund says
   */
  public CardRefund refund(Actor actor, OrganizationId org, CheckoutId id) {
    // refuse what cannot be refunded before touching anyone's leases
    transactions.inTenant(org, c -> eligible(c, actor, org, id, false));
    leases.retireLeases(org);
    UUID refundId = UUID.randomUUID();
    String paymentIntent =
        transactions.inTenant(
            org,
            c -> {
              lockHolds(c, org);
              Checkout checkout = eligible(c, actor, org, id, true);
              Credits amount = refundable(c, checkout);
              if (!amount.isPositive()) {
                throw new AccountRefusedException(
                    AccountRefusedException.Reason.CONFLICT,
                    "Nothing of this purchase is left to refund: its credits are spent, refunded"
                        + " or held by requests in flight");
              }
              long tx =
                  ledger
                      .postAgainst(
                          c,
                          org,
                          CardPurchases.purchaseTransaction(c, id),
                          "refund",
                          "stripe-refund:" + refundId,
                          "Card purchase refunded",
                          List.of(
                              Leg.organization(amount.negate()),
                              Leg.system(CardPurchases.PAID_FROM, amount)))
                      .orElseThrow();
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO stripe_refunds (id, org_id, checkout_id, amount_nanos, source,"
                          + " requested_by, idempotency_key, state, ledger_transaction_id,"
                          + " created_at) VALUES (?, ?, ?, ?, 'switchboard', ?, ?, 'pending', ?, ?)")) {
                insert.setObject(1, refundId);
                insert.setObject(2, org.value());
                insert.setObject(3, id.value());
                insert.setLong(4, amount.nanos());
                insert.setObject(5, ((Actor.Member) actor).user().value());
                insert.setString(6, "refund-" + refundId);
                insert.setLong(7, tx);
                insert.setTimestamp(8, Timestamp.from(clock.instant()));
                insert.executeUpdate();
              }
              return paymentIntent(c, id).orElse(null);
            });
    return complete(org, refundId, paymentIntent);
  }

  /** The refunds of one purchase, oldest first, for a member who may see its credits. */
  public List<CardRefund> refundsOf(Actor actor, OrganizationId org, CheckoutId id) {
    return transactions.inTenant(
        org,
        c -> {
          try {
            if (!MembershipService.roleOf(c, org, actor).can(Permission.VIEW_CREDITS)) {
              return List.of();
            }
          } catch (AccountRefusedException e) {
            return List.of();
          }
          try (PreparedStatement query =
              c.prepareStatement(
                  COLUMNS + " WHERE org_id = ? AND checkout_id = ? ORDER BY created_at, id")) {
            query.setObject(1, org.value());
            query.setObject(2, id.value());
            return readAll(query);
          }
        });
  }

  /**
   * Asks the provider again about refunds left pending for longer than {@code olderThan} (its
   * answer was lost), with their stored idempotency keys. Returns how many it finished.
   */
  public int retryPending(Duration olderThan) {
    record Pending(OrganizationId org, UUID id, String paymentIntent) {}
    List<Pending> pending =
        transactions.acrossTenants(
            c -> {
              try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT r.org_id, r.id, k.stripe_payment_intent_id FROM stripe_refunds r"
                          + " JOIN stripe_checkouts k ON k.id = r.checkout_id"
                          + " WHERE r.state = 'pending' AND r.created_at < ?"
                          + " ORDER BY r.created_at LIMIT 100")) {
                query.setTimestamp(1, Timestamp.from(clock.instant().minus(olderThan)));
                List<Pending> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    found.add(
                        new Pending(
                            new OrganizationId(rows.getObject(1, UUID.class)),
                            rows.getObject(2, UUID.class),
                            rows.getString(3)));
                  }
                }
                return found;
              }
            });
    int finished = 0;
    for (Pending refund : pending) {
      if (complete(refund.org(), refund.id(), refund.paymentIntent()).state()
          != CardRefund.State.PENDING) {
        finished++;
      }
    }
    return finished;
  }

  /**
   * Records a refund the provider reports beyond what Switchboard asked for (made in its dashboard)
   * and takes it out of the organization's credits; a part of it beyond the purchase's credits was
   * the fee, and comes out of the fees account. Runs in the event's transaction, the checkout
   * locked.
   */
  static EventOutcome refundedAtProvider(
      Connection c, Ledger ledger, Clock clock, Checkout checkout, ChargeRefundedEvent event)
      throws SQLException {
    if (!checkout.isCredited()) {
      return EventOutcome.IGNORED;
    }
    long refundedNanos =
        Math.multiplyExact(Math.max(0, event.amountRefundedCents()), NANOS_PER_CENT);
    long recorded = recordedNanos(c, checkout.id());
    if (refundedNanos <= recorded) {
      return EventOutcome.REFUNDED; // every refund it counts is ours, or was seen before
    }
    Credits more = Credits.ofNanos(refundedNanos - recorded);
    Credits creditsLeft =
        Credits.ofNanos(Math.max(0, checkout.quote().credits().nanos() - recorded));
    Credits fromCredits = more.nanos() <= creditsLeft.nanos() ? more : creditsLeft;
    Credits fromFee = more.minus(fromCredits);
    UUID refundId = UUID.randomUUID();
    long tx =
        ledger
            .postAgainst(
                c,
                checkout.org(),
                CardPurchases.purchaseTransaction(c, checkout.id()),
                "refund",
                "stripe-charge-refunded:" + event.chargeId() + ":" + event.amountRefundedCents(),
                "Card purchase refunded by the payment provider",
                List.of(
                    Leg.organization(fromCredits.negate()),
                    Leg.system("payment_fees", fromFee.negate()),
                    Leg.system(CardPurchases.PAID_FROM, more)))
            .orElseThrow();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO stripe_refunds (id, org_id, checkout_id, amount_nanos, source,"
                + " idempotency_key, state, ledger_transaction_id, created_at, finished_at)"
                + " VALUES (?, ?, ?, ?, 'stripe', ?, 'succeeded', ?, ?, ?)")) {
      Timestamp now = Timestamp.from(clock.instant());
      insert.setObject(1, refundId);
      insert.setObject(2, checkout.org().value());
      insert.setObject(3, checkout.id().value());
      insert.setLong(4, more.nanos());
      insert.setString(5, "provider-" + event.chargeId() + "-" + event.amountRefundedCents());
      insert.setLong(6, tx);
      insert.setTimestamp(7, now);
      insert.setTimestamp(8, now);
      insert.executeUpdate();
    }
    return EventOutcome.REFUNDED;
  }

  /** Asks the provider for the refund and records its answer. */
  private CardRefund complete(OrganizationId org, UUID refundId, String paymentIntent) {
    CardRefund refund = transactions.inTenant(org, c -> find(c, refundId));
    if (refund.state() != CardRefund.State.PENDING) {
      return refund;
    }
    String key = "refund-" + refundId;
    try {
      if (paymentIntent == null) {
        throw new PaymentProviderException(
            "The payment of this purchase is not known to Switchboard", null, true);
      }
      String providerId =
          gateway.refund(paymentIntent, refund.amount().nanos() / NANOS_PER_CENT, key);
      return finish(org, refundId, c -> succeeded(c, refundId, providerId));
    } catch (PaymentProviderException e) {
      if (!e.refused()) {
        LOG.warning("refund " + refundId + " left pending: " + e.getMessage());
        return refund; // asked again by retryPending, under the same key
      }
      return finish(org, refundId, c -> failed(c, org, refund, e.getMessage()));
    }
  }

  private CardRefund finish(OrganizationId org, UUID refundId, TransactionRunner.Work<Void> work) {
    return transactions.inTenant(
        org,
        c -> {
          work.run(c);
          return find(c, refundId);
        });
  }

  private Void succeeded(Connection c, UUID refundId, String providerId) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE stripe_refunds SET state = 'succeeded', stripe_refund_id = ?, finished_at = ?"
                + " WHERE id = ? AND state = 'pending'")) {
      update.setString(1, providerId);
      update.setTimestamp(2, Timestamp.from(clock.instant()));
      update.setObject(3, refundId);
      update.executeUpdate();
    }
    return null;
  }

  /** The provider refused: the credits go back to the organization, once. */
  private Void failed(Connection c, OrganizationId org, CardRefund refund, String reason)
      throws SQLException {
    if (find(c, refund.id()).state() != CardRefund.State.PENDING) {
      return null;
    }
    long reversal =
        ledger
            .postAgainst(
                c,
                org,
                CardPurchases.purchaseTransaction(c, refund.checkout()),
                "reversal",
                "stripe-refund-refused:" + refund.id(),
                "Card refund refused by the payment provider",
                List.of(
                    Leg.organization(refund.amount()),
                    Leg.system(CardPurchases.PAID_FROM, refund.amount().negate())))
            .orElseThrow();
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE stripe_refunds SET state = 'failed', failure = ?, reversal_transaction_id = ?,"
                + " finished_at = ? WHERE id = ? AND state = 'pending'")) {
      update.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
      update.setLong(2, reversal);
      update.setTimestamp(3, Timestamp.from(clock.instant()));
      update.setObject(4, refund.id());
      update.executeUpdate();
    }
    return null;
  }

  /**
   * The purchase, when the actor may refund it now; locked when {@code lock}.
   *
   * @throws AccountRefusedException why not
   */
  private Checkout eligible(
      Connection c, Actor actor, OrganizationId org, CheckoutId id, boolean lock)
      throws SQLException {
    // a stranger is not found; a member of the organization is told their role cannot refund
    Buyers.member(c, org, actor, "refunds");
    Optional<Checkout> found =
        lock ? CardPurchases.findLocked(c, org, id) : CardPurchases.find(c, org, id);
    if (found.isEmpty()) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.NOT_FOUND, "No such purchase");
    }
    Checkout checkout = found.get();
    if (!checkout.isCredited()) {
      throw conflict("This purchase was never paid, so there is nothing to refund");
    }
    if (clock.instant().isAfter(checkout.creditedAt().orElseThrow().plus(window))) {
      throw conflict(
          "Purchases can be refunded within " + window.toHours() + " hours; this one is older");
    }
    if (exists(c, "SELECT 1 FROM stripe_disputes WHERE checkout_id = ? AND state = 'open'", id)) {
      throw conflict("This purchase is disputed; it cannot be refunded while the dispute is open");
    }
    if (exists(c, "SELECT 1 FROM stripe_refunds WHERE checkout_id = ? AND state = 'pending'", id)) {
      throw conflict("A refund of this purchase is being made already");
    }
    return checkout;
  }

  /**
   * The purchase's credits not refunded yet, at most the organization's available credits, in whole
   * cents.
   */
  private static Credits refundable(Connection c, Checkout checkout) throws SQLException {
    long left = checkout.quote().credits().nanos() - recordedNanos(c, checkout.id());
    long available;
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT a.balance_nanos - h.reserved_nanos FROM ledger_accounts a"
                + " JOIN credit_holds h ON h.org_id = a.org_id"
                + " WHERE a.org_id = ? AND a.kind = 'org_credits'")) {
      query.setObject(1, checkout.org().value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        available = rows.getLong(1);
      }
    }
    long amount = Math.max(0, Math.min(left, available));
    return Credits.ofNanos(amount - amount % NANOS_PER_CENT);
  }

  /**
   * What the purchase's refunds took so far, or are taking (pending); refused ones gave it back.
   */
  private static long recordedNanos(Connection c, CheckoutId checkout) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT coalesce(sum(amount_nanos), 0) FROM stripe_refunds"
                + " WHERE checkout_id = ? AND state <> 'failed'")) {
      query.setObject(1, checkout.value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Locks the organization's hold row first, as granting a spend lease does (migration V3). */
  private static void lockHolds(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT 1 FROM credit_holds WHERE org_id = ? FOR UPDATE")) {
      lock.setObject(1, org.value());
      lock.executeQuery().close();
    }
  }

  private static Optional<String> paymentIntent(Connection c, CheckoutId id) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT stripe_payment_intent_id FROM stripe_checkouts WHERE id = ?")) {
      query.setObject(1, id.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private static boolean exists(Connection c, String sql, CheckoutId id) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setObject(1, id.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static AccountRefusedException conflict(String message) {
    return new AccountRefusedException(AccountRefusedException.Reason.CONFLICT, message);
  }

  private static CardRefund find(Connection c, UUID id) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
      query.setObject(1, id);
      return readAll(query).get(0);
    }
  }

  private static List<CardRefund> readAll(PreparedStatement query) throws SQLException {
    List<CardRefund> refunds = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        refunds.add(
            new CardRefund(
                rows.getObject(1, UUID.class),
                new CheckoutId(rows.getObject(2, UUID.class)),
                Credits.ofNanos(rows.getLong(3)),
                CardRefund.State.ofColumn(rows.getString(4)),
                Optional.ofNullable(rows.getString(5)),
                rows.getTimestamp(6).toInstant()));
      }
    }
    return refunds;
  }
}
