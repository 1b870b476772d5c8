package dev.switchboard.domain.payments;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The identity of one of Switchboard's checkout records. */
public record CheckoutId(UUID value) {

  public CheckoutId {
    Objects.requireNonNull(value, "value");
  }

  public static CheckoutId newId() {
    return new CheckoutId(UUID.randomUUID());
  }

  /** Parses an id from outside; {@code empty} for anything that is not a UUID. */
  public static Optional<CheckoutId> parse(String text) {
    try {
      return Optional.of(new CheckoutId(UUID.fromString(text)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
