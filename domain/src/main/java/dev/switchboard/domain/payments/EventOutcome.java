package dev.switchboard.domain.payments;

import java.util.Locale;

/** What receiving a provider event did. */
public enum EventOutcome {
  /** The checkout (or auto top-up) was paid, and this event credited it. */
  CREDITED,
  /** The checkout (or auto top-up) had already been credited (by another event or its charge). */
  ALREADY_CREDITED,
  /** The session is not paid yet (an asynchronous payment method); a later event credits it. */
  NOT_PAID,
  /** The event names no checkout (or auto top-up) Switchboard created: nothing is credited. */
  UNKNOWN_SESSION,
  /** The provider charged something else than the record says: nothing is credited. */
  AMOUNT_MISMATCH,
  /** A refund (asked for here or made in the provider's dashboard) is recorded. */
  REFUNDED,
  /** A dispute of a purchase took its credits and froze the organization's spending. */
  DISPUTE_OPENED,
  /** A dispute was closed: won, its credits came back; lost, they are gone. */
  DISPUTE_CLOSED,
  /** The card was declined for an auto top-up: recorded as a declined charge is. */
  DECLINED,
  /** The auto top-up had already been recorded declined (by its charge's answer). */
  ALREADY_DECLINED,
  /** A type that credits nothing. */
  IGNORED,
  /** This event was received before: nothing changed. */
  DUPLICATE;

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }
}
