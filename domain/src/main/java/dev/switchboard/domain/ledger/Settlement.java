package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.usage.Generation;
import java.util.Optional;

/**
 * The end of a request: its reservation is released and, when it produced a generation, the
 * generation's cost is debited. A request that failed before producing anything settles with no
 * generation and costs nothing.
 */
public record Settlement(Reservation reservation, Generation generation) {

  public static Settlement released(Reservation reservation) {
    return new Settlement(reservation, null);
  }

  public Optional<Generation> generationOptional() {
    return Optional.ofNullable(generation);
  }

  public Credits cost() {
    return generation == null ? Credits.ZERO : generation.cost();
  }
}
