package dev.switchboard.domain.accounts;

import java.util.Objects;
import java.util.UUID;

/** The identity of a person with an account. */
public record UserId(UUID value) {

  public UserId {
    Objects.requireNonNull(value, "value");
  }

  public static UserId newId() {
    return new UserId(UUID.randomUUID());
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
