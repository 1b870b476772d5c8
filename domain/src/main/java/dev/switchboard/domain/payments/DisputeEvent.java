package dev.switchboard.domain.payments;

import java.util.Locale;
import java.util.Optional;

/**
 * A provider event about a dispute (a chargeback) of a card payment: opened, or closed with its
 * status ({@code won}, {@code lost}, or {@code warning_closed} for an inquiry that ended without a
 * chargeback).
 */
public record DisputeEvent(
    String eventId,
    String type,
    String disputeId,
    Optional<String> paymentIntentId,
    long amountCents,
    String status) {

  public static final String OPENED = "charge.dispute.created";
  public static final String CLOSED = "charge.dispute.closed";

  /** Whether the dispute ended with the money kept (won, or an inquiry closed). */
  public boolean won() {
    String s = status.toLowerCase(Locale.ROOT);
    return s.equals("won") || s.equals("warning_closed");
  }
}
