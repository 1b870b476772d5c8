package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Finishes card checkouts that the webhook did not: asks the provider about each checkout still
 * open a while after it was opened, credits (once, through the same path as the webhook) one that
 * was paid, and marks one the provider expired. A checkout that never got a session (the provider
 * failed, or the process stopped, before its answer was stored) could not be paid, because nobody
 * was sent to pay it; it expires when a session would have, a day after it was recorded.
 */
public final class CheckoutReconciler {

  private static final Logger LOG = Logger.getLogger(CheckoutReconciler.class.getName());

  /** A provider's checkout session lasts a day at most. */
  static final Duration SESSION_LIFETIME = Duration.ofHours(24);

  private static final int BATCH = 100;

  /** What one pass did. */
  public record Pass(int credited, int expired, int stillOpen, int unreachable) {}

  private final TransactionRunner transactions;
  private final CardPurchases purchases;
  private final CheckoutGateway gateway;
  private final Clock clock;
  private final Duration after;

  /**
   * @param after how long after it opened a checkout is asked about: long enough for its webhook to
   *     have come
   */
  public CheckoutReconciler(
      TransactionRunner transactions,
      CardPurchases purchases,
      CheckoutGateway gateway,
      Clock clock,
      Duration after) {
    this.transactions = transactions;
    this.purchases = purchases;
    this.gateway = gateway;
    this.clock = clock;
    this.after = after;
  }

  /** One pass over the unfinished checkouts, oldest first. */
  public Pass reconcile() {
    Instant now = clock.instant();
    int expired = expireNeverOpened(now);
    record Open(OrganizationId org, CheckoutId id, String sessionId) {}
    List<Open> open =
        transactions.acrossTenants(
            c -> {
              try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT org_id, id, stripe_session_id FROM stripe_checkouts"
                          + " WHERE state = 'open' AND opened_at < ? ORDER BY opened_at LIMIT ?")) {
                query.setTimestamp(1, Timestamp.from(now.minus(after)));
                query.setInt(2, BATCH);
                List<Open> found = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    found.add(
                        new Open(
                            new OrganizationId(rows.getObject(1, UUID.class)),
                            new CheckoutId(rows.getObject(2, UUID.class)),
                            rows.getString(3)));
                  }
                }
                return found;
              }
            });
    int credited = 0;
    int stillOpen = 0;
    int unreachable = 0;
    for (Open checkout : open) {
      CheckoutGateway.SessionStatus status;
      try {
        status = gateway.lookup(checkout.sessionId());
      } catch (PaymentProviderException e) {
        LOG.warning("checkout " + checkout.id() + " could not be looked up: " + e.getMessage());
        unreachable++;
        continue;
      }
      switch (settle(checkout.org(), checkout.id(), status)) {
        case CREDITED -> credited++;
        case EXPIRED -> expired++;
        default -> stillOpen++;
      }
    }
    return new Pass(credited, expired, stillOpen, unreachable);
  }

  /** Credits or expires one checkout as the provider's status says, under its row lock. */
  private CheckoutState settle(
      OrganizationId org, CheckoutId id, CheckoutGateway.SessionStatus status) {
    return transactions.inTenant(
        org,
        c -> {
          Checkout checkout = CardPurchases.findLocked(c, org, id).orElseThrow();
          if (checkout.state() != CheckoutState.OPEN) {
            return CheckoutState.OPEN; // the webhook came meanwhile
          }
          if (status.paid()) {
            EventOutcome outcome =
                purchases.credit(
                    c,
                    checkout,
                    new PaymentEvent(
                        "reconciler",
                        "reconciler",
                        Optional.of(status.sessionId()),
                        Optional.of(id.toString()),
                        true,
                        status.amountTotalCents(),
                        status.currency(),
                        status.paymentIntentId()));
            if (outcome != EventOutcome.CREDITED) {
              LOG.warning("paid checkout " + id + " was not credited: " + outcome);
              return CheckoutState.OPEN;
            }
            LOG.info("checkout " + id + " was paid but its webhook never came; credited now");
            return CheckoutState.CREDITED;
          }
          if (status.expired()) {
            try (PreparedStatement update =
                c.prepareStatement(
                    "UPDATE stripe_checkouts SET state = 'expired', expired_at = ?"
                        + " WHERE id = ? AND state = 'open'")) {
              update.setTimestamp(1, Timestamp.from(clock.instant()));
              update.setObject(2, id.value());
              update.executeUpdate();
            }
            return CheckoutState.EXPIRED;
          }
          return CheckoutState.OPEN;
        });
  }

  private int expireNeverOpened(Instant now) {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE stripe_checkouts SET state = 'expired', expired_at = ?"
                      + " WHERE state = 'created' AND created_at < ?")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setTimestamp(2, Timestamp.from(now.minus(SESSION_LIFETIME)));
            return update.executeUpdate();
          }
        });
  }
}
