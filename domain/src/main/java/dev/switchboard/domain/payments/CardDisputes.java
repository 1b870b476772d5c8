package dev.switchboard.domain.payments;

import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.Ledger.Leg;
import dev.switchboard.domain.money.Credits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Disputes (chargebacks) of card purchases, one row per provider dispute. Opening one takes the
 * disputed credits (at most what the purchase credited) out of the organization's account into
 * {@code disputed_funds}, and while any dispute of an organization is open no spend lease is
 * granted to it (migration V14), so its keys get 402. Closing gives the credits back when the
 * dispute is won and moves them to where the money came from when it is lost.
 *
 * <p>Events may come in any order and more than once: each transition happens once, under the
 * checkout's row lock, and a dispute first seen closed is recorded closed (a lost one taking its
 * credits in one step).
 */
final class CardDisputes {

  private static final long NANOS_PER_CENT = 10_000_000L;

  private final Ledger ledger;
  private final Clock clock;

  CardDisputes(Ledger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /** Applies a dispute event to the (locked) checkout it is about. */
  EventOutcome received(Connection c, Checkout checkout, DisputeEvent event) throws SQLException {
    Optional<String> state = state(c, event.disputeId());
    boolean closing = event.type().equals(DisputeEvent.CLOSED);
    if (!closing && !event.type().equals(DisputeEvent.OPENED)) {
      return EventOutcome.IGNORED; // charge.dispute.updated and the like change no money
    }
    if (state.isPresent() && (!closing || !state.get().equals("open"))) {
      // opened twice, or closed after it was closed: already done
      return closing ? EventOutcome.DISPUTE_CLOSED : EventOutcome.DISPUTE_OPENED;
    }
    Credits amount = disputed(c, checkout, event);
    if (state.isEmpty()) {
      Long movement = null;
      if (!closing || !event.won()) {
        movement =
            post(
                c,
                checkout,
                closing ? "dispute_loss" : "dispute",
                "stripe-dispute:" + event.disputeId(),
                closing ? "Card payment dispute lost" : "Card payment disputed",
                closing
                    ? List.of(
                        Leg.organization(amount.negate()),
                        Leg.system(CardPurchases.PAID_FROM, amount))
                    : List.of(
                        Leg.organization(amount.negate()), Leg.system("disputed_funds", amount)));
      }
      insert(c, checkout, event, amount, closing ? null : movement, closing ? movement : null);
      return closing ? EventOutcome.DISPUTE_CLOSED : EventOutcome.DISPUTE_OPENED;
    }
    // an open dispute closes with the amount it took when it opened
    Credits taken = takenWhenOpened(c, event.disputeId());
    Long closingTx =
        post(
            c,
            checkout,
            event.won() ? "dispute_release" : "dispute_loss",
            "stripe-dispute-closed:" + event.disputeId(),
            event.won() ? "Card payment dispute won" : "Card payment dispute lost",
            event.won()
                ? List.of(Leg.organization(taken), Leg.system("disputed_funds", taken.negate()))
                : List.of(
                    Leg.system("disputed_funds", taken.negate()),
                    Leg.system(CardPurchases.PAID_FROM, taken)));
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE stripe_disputes SET state = ?, closing_transaction_id = ?, closed_at = ?"
                + " WHERE dispute_id = ? AND state = 'open'")) {
      update.setString(1, event.won() ? "won" : "lost");
      setNullableLong(update, 2, closingTx);
      update.setTimestamp(3, Timestamp.from(clock.instant()));
      update.setString(4, event.disputeId());
      update.executeUpdate();
    }
    return EventOutcome.DISPUTE_CLOSED;
  }

  /** What the dispute takes: the disputed amount, at most what the purchase credited. */
  private static Credits disputed(Connection c, Checkout checkout, DisputeEvent event) {
    if (!checkout.isCredited()) {
      return Credits.ZERO;
    }
    long disputed = Math.multiplyExact(Math.max(0, event.amountCents()), NANOS_PER_CENT);
    return Credits.ofNanos(Math.min(disputed, checkout.quote().credits().nanos()));
  }

  /** Posts the movement; none (null) when it moves nothing. */
  private Long post(
      Connection c,
      Checkout checkout,
      String kind,
      String idempotencyKey,
      String description,
      List<Leg> legs)
      throws SQLException {
    if (legs.stream().allMatch(leg -> leg.amount().isZero())) {
      return null;
    }
    return ledger
        .postAgainst(
            c,
            checkout.org(),
            CardPurchases.purchaseTransaction(c, checkout.id()),
            kind,
            idempotencyKey,
            description,
            legs)
        .orElse(null);
  }

  private void insert(
      Connection c,
      Checkout checkout,
      DisputeEvent event,
      Credits amount,
      Long openingTx,
      Long closingTx)
      throws SQLException {
    boolean closed = event.type().equals(DisputeEvent.CLOSED);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO stripe_disputes (dispute_id, org_id, checkout_id, amount_nanos, state,"
                + " opening_transaction_id, closing_transaction_id, opened_at, closed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Timestamp now = Timestamp.from(clock.instant());
      insert.setString(1, event.disputeId());
      insert.setObject(2, checkout.org().value());
      insert.setObject(3, checkout.id().value());
      insert.setLong(4, amount.nanos());
      insert.setString(5, closed ? (event.won() ? "won" : "lost") : "open");
      setNullableLong(insert, 6, openingTx);
      setNullableLong(insert, 7, closingTx);
      insert.setTimestamp(8, now);
      insert.setTimestamp(9, closed ? now : null);
      insert.executeUpdate();
    }
  }

  private static Optional<String> state(Connection c, String disputeId) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT state FROM stripe_disputes WHERE dispute_id = ? FOR UPDATE")) {
      query.setString(1, disputeId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private static Credits takenWhenOpened(Connection c, String disputeId) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT amount_nanos FROM stripe_disputes WHERE dispute_id = ?")) {
      query.setString(1, disputeId);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return Credits.ofNanos(rows.getLong(1));
      }
    }
  }

  private static void setNullableLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
