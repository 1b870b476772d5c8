package dev.switchboard.domain.payments;

import java.util.Locale;

/** What receiving a provider event did. */
public enum EventOutcome {
  /** The checkout was paid, and this event credited it. */
  CREDITED,
  /** The checkout had already been credited (by another event). */
  ALREADY_CREDITED,
  /** The session is not paid yet (an asynchronous payment method); a later event credits it. */
  NOT_PAID,
  /** The event names no checkout Switchboard created: nothing is credited. */
  UNKNOWN_SESSION,
  /** The provider charged something else than the record says: nothing is credited. */
  AMOUNT_MISMATCH,
  /** A refund (asked for here or made in the provider's dashboard) is recorded. */
  REFUNDED,
  /** A dispute of a purchase took its credits and froze the organization's spending. */
  DISPUTE_OPENED,
  /** A dispute was closed: won, its credits came back; lost, they are gone. */
  DISPUTE_CLOSED,
  /** A type that credits nothing. */
  IGNORED,
  /** This event was received before: nothing changed. */
  DUPLICATE;

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }
}
