package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;

/**
 * An organization's credits: {@code balance} is what the ledger holds for it (credits in minus
 * usage), {@code reserved} what requests in flight may still spend, {@code available} what a new
 * request may reserve.
 */
public record AccountBalance(
    Credits balance, Credits reserved, Credits totalCredits, Credits totalUsage) {

  public Credits available() {
    return balance.minus(reserved);
  }
}
