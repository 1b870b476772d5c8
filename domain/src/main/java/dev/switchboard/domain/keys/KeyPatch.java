package dev.switchboard.domain.keys;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;

/**
 * A partial update of a key. Each {@code …Set} flag says whether the field was given, so that
 * "remove the limit" ({@code limitSet} with a null limit) differs from "leave the limit alone".
 */
public record KeyPatch(
    String name,
    Boolean disabled,
    boolean limitSet,
    Credits limit,
    boolean limitResetSet,
    LimitReset limitReset,
    boolean expiresAtSet,
    Instant expiresAt,
    boolean rateLimitSet,
    Integer rateLimitRpm) {

  /** A patch that leaves the request rate limit alone. */
  public KeyPatch(
      String name,
      Boolean disabled,
      boolean limitSet,
      Credits limit,
      boolean limitResetSet,
      LimitReset limitReset,
      boolean expiresAtSet,
      Instant expiresAt) {
    this(
        name,
        disabled,
        limitSet,
        limit,
        limitResetSet,
        limitReset,
        expiresAtSet,
        expiresAt,
        false,
        null);
  }

  public KeyPatch {
    if (name != null && (name.isBlank() || name.length() > 200)) {
      throw new IllegalArgumentException("name must be 1 to 200 characters");
    }
    if (limit != null && limit.isNegative()) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    if (rateLimitRpm != null
        && (rateLimitRpm < 1 || rateLimitRpm > KeySettings.MAX_RATE_LIMIT_RPM)) {
      throw new IllegalArgumentException(
          "rate limit must be 1 to " + KeySettings.MAX_RATE_LIMIT_RPM + " requests per minute");
    }
  }
}
