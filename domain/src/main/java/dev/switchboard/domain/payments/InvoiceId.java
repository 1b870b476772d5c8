package dev.switchboard.domain.payments;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The identity of an invoice, as its download link names it. */
public record InvoiceId(UUID value) {

  public InvoiceId {
    Objects.requireNonNull(value, "value");
  }

  public static InvoiceId newId() {
    return new InvoiceId(UUID.randomUUID());
  }

  /** Parses an id from outside; {@code empty} for anything that is not a UUID. */
  public static Optional<InvoiceId> parse(String text) {
    try {
      return Optional.of(new InvoiceId(UUID.fromString(text)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
