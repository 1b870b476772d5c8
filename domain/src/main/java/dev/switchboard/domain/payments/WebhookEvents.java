package dev.switchboard.domain.payments;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The provider events received, each once: an event is claimed by its id inside the transaction
 * that handles it, and its outcome recorded there, with the checkout or auto top-up it concerned.
 */
final class WebhookEvents {

  private WebhookEvents() {}

  /** Inserts the event's row; false when it is there already (waiting for a concurrent insert). */
  static boolean claim(Connection c, String eventId, String type, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO stripe_webhook_events (event_id, type, outcome, received_at)"
                + " VALUES (?, ?, 'ignored', ?) ON CONFLICT (event_id) DO NOTHING")) {
      insert.setString(1, eventId);
      insert.setString(2, type);
      insert.setTimestamp(3, Timestamp.from(now));
      return insert.executeUpdate() == 1;
    }
  }

  static void recordAboutCheckout(
      Connection c, String eventId, EventOutcome outcome, Optional<Checkout> checkout)
      throws SQLException {
    record(
        c,
        eventId,
        outcome,
        checkout.map(Checkout::org),
        checkout.map(found -> found.id().value()),
        Optional.empty());
  }

  static void recordAboutTopUp(
      Connection c, String eventId, EventOutcome outcome, Optional<AutoTopUps.TopUp> topUp)
      throws SQLException {
    record(
        c,
        eventId,
        outcome,
        topUp.map(AutoTopUps.TopUp::org),
        Optional.empty(),
        topUp.map(AutoTopUps.TopUp::id));
  }

  private static void record(
      Connection c,
      String eventId,
      EventOutcome outcome,
      Optional<OrganizationId> org,
      Optional<UUID> checkout,
      Optional<UUID> topUp)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE stripe_webhook_events SET outcome = ?, org_id = ?, checkout_id = ?,"
                + " auto_top_up_id = ? WHERE event_id = ?")) {
      update.setString(1, outcome.column());
      update.setObject(2, org.map(OrganizationId::value).orElse(null));
      update.setObject(3, checkout.orElse(null));
      update.setObject(4, topUp.orElse(null));
      update.setString(5, eventId);
      update.executeUpdate();
    }
  }
}
