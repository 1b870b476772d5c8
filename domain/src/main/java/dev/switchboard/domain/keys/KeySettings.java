package dev.switchboard.domain.keys;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;

/** What a caller chooses about a key: name, spending limit and reset, expiry. */
public record KeySettings(String name, Credits limit, LimitReset limitReset, Instant expiresAt) {

  public KeySettings {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("name must be 1 to 200 characters");
    }
    if (limit != null && limit.isNegative()) {
      throw new IllegalArgumentException("limit must not be negative");
    }
  }
}
