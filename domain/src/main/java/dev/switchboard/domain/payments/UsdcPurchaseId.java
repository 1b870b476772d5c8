package dev.switchboard.domain.payments;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The identity of one of Switchboard's USDC purchase records. */
public record UsdcPurchaseId(UUID value) {

  public UsdcPurchaseId {
    Objects.requireNonNull(value, "value");
  }

  public static UsdcPurchaseId newId() {
    return new UsdcPurchaseId(UUID.randomUUID());
  }

  /** Parses an id from outside; {@code empty} for anything that is not a UUID. */
  public static Optional<UsdcPurchaseId> parse(String text) {
    try {
      return Optional.of(new UsdcPurchaseId(UUID.fromString(text)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
