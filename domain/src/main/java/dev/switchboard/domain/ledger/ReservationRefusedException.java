package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;

/**
 * A request whose worst case does not fit: in the organization's credits, or under the key's limit.
 * Says what was asked and what is available, so the caller can lower {@code max_tokens} or add
 * credits.
 */
public final class ReservationRefusedException extends RuntimeException {

  /** Which budget refused. */
  public enum Budget {
    CREDITS,
    KEY_LIMIT,
    /** The organization's spending is frozen while a card payment of it is disputed. */
    FROZEN
  }

  private final Budget budget;
  private final Credits requested;
  private final Credits available;

  public ReservationRefusedException(Budget budget, Credits requested, Credits available) {
    super(message(budget, requested, available));
    this.budget = budget;
    this.requested = requested;
    this.available = available;
  }

  public Budget budget() {
    return budget;
  }

  public Credits requested() {
    return requested;
  }

  public Credits available() {
    return available;
  }

  private static String message(Budget budget, Credits requested, Credits available) {
    if (budget == Budget.FROZEN) {
      return "Spending is frozen while a card payment of this organization is disputed;"
          + " it resumes when the dispute is closed.";
    }
    String where = budget == Budget.CREDITS ? "credits available" : "left under this key's limit";
    return "This request can cost up to $"
        + requested.toUsdString()
        + " but only $"
        + available.max0().toUsdString()
        + " is "
        + where
        + ". Lower max_tokens or add credits.";
  }
}
