package dev.switchboard.domain.tenancy;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The identity of an organization, the unit of tenancy and of credits. */
public record OrganizationId(UUID value) {

  public OrganizationId {
    Objects.requireNonNull(value, "value");
  }

  public static OrganizationId newId() {
    return new OrganizationId(UUID.randomUUID());
  }

  /** Parses an id from outside; {@code empty} for anything that is not a UUID. */
  public static Optional<OrganizationId> parse(String text) {
    try {
      return Optional.of(new OrganizationId(UUID.fromString(text)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
