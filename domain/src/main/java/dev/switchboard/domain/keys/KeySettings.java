package dev.switchboard.domain.keys;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;

/**
 * What a caller chooses about a key: name, spending limit and reset, expiry, request rate limit
 * (requests per minute; null: none).
 */
public record KeySettings(
    String name, Credits limit, LimitReset limitReset, Instant expiresAt, Integer rateLimitRpm) {

  /** Settings without a request rate limit. */
  public KeySettings(String name, Credits limit, LimitReset limitReset, Instant expiresAt) {
    this(name, limit, limitReset, expiresAt, null);
  }

  public KeySettings {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("name must be 1 to 200 characters");
    }
    if (limit != null && limit.isNegative()) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    if (rateLimitRpm != null && (rateLimitRpm < 1 || rateLimitRpm > MAX_RATE_LIMIT_RPM)) {
      throw new IllegalArgumentException(
          "rate limit must be 1 to " + MAX_RATE_LIMIT_RPM + " requests per minute");
    }
  }

  /** The largest request rate limit a key or an organization can have, per minute. */
  public static final int MAX_RATE_LIMIT_RPM = 1_000_000;
}
