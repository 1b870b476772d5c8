package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;

/**
 * A line of an organization's credits statement: one credit that came in (a grant, later a
 * purchase) with its description, or one UTC day of usage with how many requests it added up.
 *
 * @param at when the credit arrived, or the start of the usage day
 * @param amount positive for credits in, negative for usage
 * @param requests how many requests a usage day sums up; 0 for a credit
 */
public record StatementLine(
    Instant at, Kind kind, String description, Credits amount, long requests) {

  /** What the line records. */
  public enum Kind {
    CREDIT,
    USAGE_DAY
  }
}
