package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
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
 * Auto top-up: when an organization's balance is below the threshold its owner or billing member
 * set, its saved card is charged off-session for the amount they set plus the card fee, and the
 * credits arrive through the ledger once (the idempotency key is the top-up's).
 *
 * <p>At most one top-up is in flight per organization: a pending top-up is a row under a unique
 * index on the organization, so of all the instances and threads that see the low balance at once
 * exactly one inserts it, and the others see it there. A charge whose outcome is unknown (no
 * answer, or a payment still processing) stays pending and is asked again under the same key, and
 * the provider's event that the payment succeeded or failed settles it as the answer would have
 * ({@link #receive(PaymentIntentEvent)}), under the same row lock, so it is settled once. A decline
 * is recorded, shown on the Credits page and mailed to whoever set auto top-up; three in a row
 * switch it off.
 */
public final class AutoTopUps {

  /** Declines in a row after which auto top-up switches itself off. */
  public static final int DECLINES_BEFORE_OFF = 3;

  private static final Logger LOG = Logger.getLogger(AutoTopUps.class.getName());

  /** What top-ups are charged in (the purchase terms are in US dollars). */
  private static final String CURRENCY = "usd";

  /** An organization's auto top-up as set, with its latest failure. */
  public record Settings(
      boolean enabled,
      Credits threshold,
      Credits amount,
      int consecutiveDeclines,
      Optional<String> lastFailure,
      boolean cardSaved) {}

  /**
   * One top-up: what it buys, and how it went ({@code pending}, {@code succeeded}, {@code
   * declined}).
   */
  public record TopUp(UUID id, OrganizationId org, PurchaseQuote quote, String state) {}

  /** An organization whose balance is below its threshold, and what it buys then. */
  private record Due(OrganizationId org, PurchaseQuote quote, long balanceNanos) {}

  /** Who is told of a decline, whether auto top-up stays on after it, and why it was declined. */
  private record Declined(String email, boolean stillOn, String reason) {}

  /** A top-up as a transaction left it, and the decline to mail once that has committed. */
  private record Settled(TopUp topUp, Optional<Declined> declined) {}

  /** What receiving a payment's event did, and the top-up it settled, if it did. */
  private record Received(EventOutcome outcome, Optional<Settled> settled) {}

  /** A top-up's row, locked, with the provider's payment of it when known. */
  private record Locked(TopUp topUp, Optional<String> paymentIntentId) {
    boolean pending() {
      return topUp.state().equals("pending");
    }
  }

  private final TransactionRunner transactions;
  private final Ledger ledger;
  private final CheckoutGateway gateway;
  private final PurchaseTerms terms;
  private final Mailer mailer;
  private final Clock clock;

  public AutoTopUps(
      TransactionRunner transactions,
      Ledger ledger,
      CheckoutGateway gateway,
      PurchaseTerms terms,
      Mailer mailer,
      Clock clock) {
    this.transactions = transactions;
    this.ledger = ledger;
    this.gateway = gateway;
    this.terms = terms;
    this.mailer = mailer;
    this.clock = clock;
  }

  /** The organization's settings, for a member who may see its credits. */
  public Settings settings(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          if (!MembershipService.roleOf(c, org, actor).can(Permission.VIEW_CREDITS)) {
            throw new AccountRefusedException(
                AccountRefusedException.Reason.FORBIDDEN, "Your role cannot see the credits");
          }
          return settings(c, org);
        });
  }

  /**
   * Sets auto top-up. Turning it on needs a saved card (a card purchase that saved it) and an
   * amount within the purchase terms; the threshold is what the balance must fall below.
   *
   * @throws AccountRefusedException FORBIDDEN for a role that may not buy, INVALID for amounts
   *     outside the terms, CONFLICT when it is turned on without a saved card
   */
  public Settings configure(
      Actor actor, OrganizationId org, boolean enabled, Credits threshold, Credits amount) {
    if (threshold.isNegative()) {
      throw new AccountRefusedException("The threshold cannot be negative");
    }
    PurchaseQuote quote = terms.quote(amount); // refuses amounts outside the terms
    return transactions.inTenant(
        org,
        c -> {
          Actor.Member member = Buyers.member(c, org, actor, "setting auto top-up");
          if (enabled && !cardSaved(c, org)) {
            throw new AccountRefusedException(
                AccountRefusedException.Reason.CONFLICT,
                "Auto top-up charges a saved card: buy credits once with \"Save this card\" first");
          }
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO auto_top_up_settings (org_id, enabled, threshold_nanos, amount_nanos,"
                      + " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (org_id) DO UPDATE SET enabled = EXCLUDED.enabled,"
                      + " threshold_nanos = EXCLUDED.threshold_nanos,"
                      + " amount_nanos = EXCLUDED.amount_nanos,"
                      + " consecutive_declines = CASE WHEN EXCLUDED.enabled THEN 0"
                      + " ELSE auto_top_up_settings.consecutive_declines END,"
                      + " updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")) {
            upsert.setObject(1, org.value());
            upsert.setBoolean(2, enabled);
            upsert.setLong(3, threshold.nanos());
            upsert.setLong(4, quote.credits().nanos());
            upsert.setObject(5, member.user().value());
            upsert.setTimestamp(6, Timestamp.from(clock.instant()));
            upsert.executeUpdate();
          }
          return settings(c, org);
        });
  }

  /**
   * One pass: starts a top-up for every organization whose balance is below its threshold and has
   * none in flight, charges it, and asks again about top-ups left pending for longer than {@code
   * retryAfter}. Safe to run on every instance at once. Returns the top-ups it finished.
   */
  public List<TopUp> run(Duration retryAfter) {
    List<TopUp> finished = new ArrayList<>();
    for (TopUp started : startDue()) {
      charge(started).ifPresent(finished::add);
    }
    for (TopUp pending : pendingOlderThan(retryAfter)) {
      charge(pending).ifPresent(finished::add);
    }
    return finished;
  }

  /** Inserts a pending top-up for each organization due one; the unique index keeps it to one. */
  private List<TopUp> startDue() {
    List<Due> due =
        transactions.acrossTenants(
            c -> {
              List<Due> found = new ArrayList<>();
              try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT s.org_id, s.amount_nanos, a.balance_nanos FROM auto_top_up_settings s"
                          + " JOIN ledger_accounts a ON a.org_id = s.org_id AND a.kind = 'org_credits'"
                          + " JOIN stripe_customers k ON k.org_id = s.org_id"
                          + " WHERE s.enabled AND a.balance_nanos < s.threshold_nanos"
                          + " AND NOT EXISTS (SELECT 1 FROM auto_top_ups t"
                          + "  WHERE t.org_id = s.org_id AND t.state = 'pending')")) {
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    found.add(
                        new Due(
                            new OrganizationId(rows.getObject(1, UUID.class)),
                            terms.quote(Credits.ofNanos(rows.getLong(2))),
                            rows.getLong(3)));
                  }
                }
              }
              return found;
            });
    List<TopUp> started = new ArrayList<>();
    for (Due candidate : due) {
      TopUp topUp = new TopUp(UUID.randomUUID(), candidate.org(), candidate.quote(), "pending");
      if (insertPending(topUp, candidate.balanceNanos())) {
        started.add(topUp);
      }
    }
    return started;
  }

  /** False when another instance or thread has one in flight for the organization already. */
  private boolean insertPending(TopUp topUp, long balanceNanos) {
    return transactions.inTenant(
        topUp.org(),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO auto_top_ups (id, org_id, credits_nanos, fee_nanos, total_nanos,"
                      + " balance_nanos, idempotency_key, state, created_at)"
                      + " SELECT ?, ?, ?, ?, ?, ?, ?, 'pending', ?"
                      + " WHERE EXISTS (SELECT 1 FROM auto_top_up_settings s JOIN ledger_accounts a"
                      + "  ON a.org_id = s.org_id AND a.kind = 'org_credits'"
                      + "  WHERE s.org_id = ? AND s.enabled AND a.balance_nanos < s.threshold_nanos)"
                      + " ON CONFLICT (org_id) WHERE state = 'pending' DO NOTHING")) {
            insert.setObject(1, topUp.id());
            insert.setObject(2, topUp.org().value());
            insert.setLong(3, topUp.quote().credits().nanos());
            insert.setLong(4, topUp.quote().fee().nanos());
            insert.setLong(5, topUp.quote().total().nanos());
            insert.setLong(6, balanceNanos);
            insert.setString(7, "topup-" + topUp.id());
            insert.setTimestamp(8, Timestamp.from(clock.instant()));
            insert.setObject(9, topUp.org().value());
            return insert.executeUpdate() == 1;
          }
        });
  }

  private List<TopUp> pendingOlderThan(Duration age) {
    return transactions.acrossTenants(
        c -> {
          List<TopUp> found = new ArrayList<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, org_id, credits_nanos, fee_nanos, total_nanos FROM auto_top_ups"
                      + " WHERE state = 'pending' AND created_at < ? ORDER BY created_at LIMIT 100")) {
            query.setTimestamp(1, Timestamp.from(clock.instant().minus(age)));
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                found.add(topUp(rows, "pending"));
              }
            }
          }
          return found;
        });
  }

  /** Charges a pending top-up's saved card; empty while the outcome is unknown. */
  private Optional<TopUp> charge(TopUp topUp) {
    String customer =
        transactions.inTenant(topUp.org(), c -> customer(c, topUp.org()).orElse(null));
    CheckoutGateway.SavedCardCharge outcome;
    try {
      if (customer == null) {
        throw new PaymentProviderException("No saved card", null, true);
      }
      outcome =
          gateway.chargeSavedCard(
              customer,
              topUp.quote().totalCents(),
              "topup-" + topUp.id(),
              topUp.id(),
              "Auto top-up");
    } catch (PaymentProviderException e) {
      if (!e.refused()) {
        LOG.warning("auto top-up " + topUp.id() + " left pending: " + e.getMessage());
        return Optional.empty();
      }
      outcome = new CheckoutGateway.SavedCardCharge(Optional.empty(), false, e.getMessage());
    }
    CheckoutGateway.SavedCardCharge charged = outcome;
    Settled settled =
        transactions.inTenant(
            topUp.org(),
            c -> {
              Optional<Locked> locked = locked(c, topUp.id());
              if (locked.isEmpty() || !locked.get().pending()) {
                // the provider's event about the payment settled it first
                return new Settled(locked.map(Locked::topUp).orElse(topUp), Optional.empty());
              }
              if (charged.succeeded()) {
                return new Settled(
                    credit(c, topUp, charged.paymentIntentId().orElseThrow()), Optional.empty());
              }
              return decline(c, topUp, charged.failure(), charged.paymentIntentId());
            });
    tellDeclined(settled);
    return Optional.of(settled.topUp());
  }

  /**
   * Receives a verified provider event that an auto top-up's payment succeeded or failed: claims
   * its id (a second delivery is {@code DUPLICATE} and changes nothing) and, under the top-up's row
   * lock, settles a pending top-up as its charge's answer would have: a success credits it (the
   * same ledger key, so whichever of the answer, a retry and the event comes first credits it, and
   * only that one), a failure records the decline and mails it; a top-up read as declined whose
   * payment succeeded after all (the cardholder confirmed it later) is credited. The amount
   * credited is the top-up's; an event whose amount or currency is not the top-up's total changes
   * nothing ({@code AMOUNT_MISMATCH}), nor does one about a payment that names no top-up ({@code
   * IGNORED}: a checkout's, whose credits come with its session's events) or names one we do not
   * have ({@code UNKNOWN_SESSION}).
   */
  public EventOutcome receive(PaymentIntentEvent event) {
    Received received =
        transactions.acrossTenants(
            c -> {
              if (!WebhookEvents.claim(c, event.eventId(), event.type(), clock.instant())) {
                return new Received(EventOutcome.DUPLICATE, Optional.empty());
              }
              Optional<UUID> named = event.autoTopUpId().flatMap(AutoTopUps::parseId);
              Optional<Locked> found = named.isEmpty() ? Optional.empty() : locked(c, named.get());
              Received handled;
              if (found.isPresent()) {
                handled = settle(c, found.get(), event);
              } else {
                handled =
                    new Received(
                        event.autoTopUpId().isEmpty()
                            ? EventOutcome.IGNORED
                            : EventOutcome.UNKNOWN_SESSION,
                        Optional.empty());
              }
              WebhookEvents.recordAboutTopUp(
                  c, event.eventId(), handled.outcome(), found.map(Locked::topUp));
              return handled;
            });
    received.settled().ifPresent(this::tellDeclined);
    return received.outcome();
  }

  /** What an event about a locked top-up does to it. */
  private Received settle(Connection c, Locked locked, PaymentIntentEvent event)
      throws SQLException {
    TopUp topUp = locked.topUp();
    boolean sameCharge =
        event.amountCents().isPresent()
            && event.amountCents().getAsLong() == topUp.quote().totalCents()
            && event.currency().map(CURRENCY::equalsIgnoreCase).orElse(false)
            && locked.paymentIntentId().map(event.paymentIntentId()::equals).orElse(true);
    switch (topUp.state()) {
      case "succeeded" -> {
        return new Received(EventOutcome.ALREADY_CREDITED, Optional.empty());
      }
      case "declined" -> {
        if (!event.succeeded()) {
          return new Received(EventOutcome.ALREADY_DECLINED, Optional.empty());
        }
        if (!sameCharge) {
          return new Received(EventOutcome.AMOUNT_MISMATCH, Optional.empty());
        }
        // read as declined (it needed the cardholder), and paid after all: the money arrived
        LOG.warning("auto top-up " + topUp.id() + " was paid after it was recorded declined");
        credit(c, topUp, event.paymentIntentId());
        return new Received(EventOutcome.CREDITED, Optional.empty());
      }
      default -> {
        if (!sameCharge) {
          return new Received(EventOutcome.AMOUNT_MISMATCH, Optional.empty());
        }
        if (event.succeeded()) {
          credit(c, topUp, event.paymentIntentId());
          return new Received(EventOutcome.CREDITED, Optional.empty());
        }
        Settled declined =
            decline(
                c,
                topUp,
                event.failure().orElse("The card was declined"),
                Optional.of(event.paymentIntentId()));
        return new Received(EventOutcome.DECLINED, Optional.of(declined));
      }
    }
  }

  /** Credits a paid top-up inside the caller's transaction, which holds its row lock. */
  private TopUp credit(Connection c, TopUp topUp, String paymentIntentId) throws SQLException {
    long tx =
        ledger
            .postPurchase(
                c,
                topUp.org(),
                topUp.quote().credits(),
                topUp.quote().fee(),
                CardPurchases.PAID_FROM,
                "stripe-topup:" + topUp.id(),
                "Auto top-up")
            .orElseThrow(); // the row lock lets one transaction of a top-up get here
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE auto_top_ups SET state = 'succeeded', stripe_payment_intent_id = ?,"
                + " ledger_transaction_id = ?, failure = NULL, finished_at = ? WHERE id = ?")) {
      update.setString(1, paymentIntentId);
      update.setLong(2, tx);
      update.setTimestamp(3, Timestamp.from(clock.instant()));
      update.setObject(4, topUp.id());
      update.executeUpdate();
    }
    try (PreparedStatement reset =
        c.prepareStatement(
            "UPDATE auto_top_up_settings SET consecutive_declines = 0, last_failure = NULL"
                + " WHERE org_id = ?")) {
      reset.setObject(1, topUp.org().value());
      reset.executeUpdate();
    }
    return new TopUp(topUp.id(), topUp.org(), topUp.quote(), "succeeded");
  }

  /**
   * Records a pending top-up declined inside the caller's transaction, which holds its row lock,
   * counting it toward switching auto top-up off; it is mailed once that commits.
   */
  private Settled decline(
      Connection c, TopUp topUp, String failure, Optional<String> paymentIntentId)
      throws SQLException {
    String reason = failure.length() > 1000 ? failure.substring(0, 1000) : failure;
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE auto_top_ups SET state = 'declined', failure = ?, finished_at = ?,"
                + " stripe_payment_intent_id = coalesce(?, stripe_payment_intent_id) WHERE id = ?")) {
      update.setString(1, reason);
      update.setTimestamp(2, Timestamp.from(clock.instant()));
      update.setString(3, paymentIntentId.orElse(null));
      update.setObject(4, topUp.id());
      update.executeUpdate();
    }
    TopUp declined = new TopUp(topUp.id(), topUp.org(), topUp.quote(), "declined");
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE auto_top_up_settings SET consecutive_declines ="
                + " consecutive_declines + 1, last_failure = ?,"
                + " enabled = enabled AND consecutive_declines + 1 < ?"
                + " WHERE org_id = ?"
                + " RETURNING enabled, (SELECT email FROM users WHERE id = updated_by)")) {
      update.setString(1, reason);
      update.setInt(2, DECLINES_BEFORE_OFF);
      update.setObject(3, topUp.org().value());
      try (ResultSet rows = update.executeQuery()) {
        rows.next();
        return new Settled(
            declined, Optional.of(new Declined(rows.getString(2), rows.getBoolean(1), reason)));
      }
    }
  }

  /**
   * Mails a decline once the transaction recording it has committed: a mail failure cannot undo it.
   */
  private void tellDeclined(Settled settled) {
    settled.declined().ifPresent(d -> tell(d, settled.topUp()));
  }

  private void tell(Declined d, TopUp topUp) {
    String reason = d.reason();
    try {
      mailer.send(
          new OutgoingMail(
              d.email(),
              "Switchboard auto top-up declined",
              "Your card was declined for an auto top-up of $"
                  + topUp.quote().credits().toUsdString()
                  + " (you would have paid $"
                  + topUp.quote().total().toUsdString()
                  + "): "
                  + reason
                  + "\n\n"
                  + (d.stillOn()
                      ? "Switchboard will try again when your balance is next below the"
                          + " threshold."
                      : "After "
                          + DECLINES_BEFORE_OFF
                          + " declines in a row, auto top-up is now off; turn it on again on"
                          + " the Credits page once the card works.")
                  + "\n"));
    } catch (RuntimeException e) {
      LOG.warning("the decline of auto top-up " + topUp.id() + " could not be mailed: " + e);
    }
  }

  private static Optional<Locked> locked(Connection c, UUID id) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT id, org_id, credits_nanos, fee_nanos, total_nanos, state,"
                + " stripe_payment_intent_id FROM auto_top_ups WHERE id = ? FOR UPDATE")) {
      query.setObject(1, id);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Locked(topUp(rows, rows.getString(6)), Optional.ofNullable(rows.getString(7))));
      }
    }
  }

  private static Optional<UUID> parseId(String value) {
    try {
      return Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether a purchase that saved its card for later was paid. */
  private static boolean cardSaved(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT 1 FROM stripe_checkouts WHERE org_id = ? AND saves_card AND state = 'credited'"
                + " LIMIT 1")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  static Optional<String> customer(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT customer_id FROM stripe_customers WHERE org_id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private static Settings settings(Connection c, OrganizationId org) throws SQLException {
    boolean cardSaved = cardSaved(c, org);
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT enabled, threshold_nanos, amount_nanos, consecutive_declines, last_failure"
                + " FROM auto_top_up_settings WHERE org_id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return new Settings(false, Credits.ZERO, Credits.ZERO, 0, Optional.empty(), cardSaved);
        }
        return new Settings(
            rows.getBoolean(1),
            Credits.ofNanos(rows.getLong(2)),
            Credits.ofNanos(rows.getLong(3)),
            rows.getInt(4),
            Optional.ofNullable(rows.getString(5)),
            cardSaved);
      }
    }
  }

  /** A top-up from a row whose first columns are its id, organization, credits, fee and total. */
  private static TopUp topUp(ResultSet rows, String state) throws SQLException {
    return new TopUp(
        rows.getObject(1, UUID.class),
        new OrganizationId(rows.getObject(2, UUID.class)),
        new PurchaseQuote(
            Credits.ofNanos(rows.getLong(3)),
            Credits.ofNanos(rows.getLong(4)),
            Credits.ofNanos(rows.getLong(5))),
        state);
  }
}
