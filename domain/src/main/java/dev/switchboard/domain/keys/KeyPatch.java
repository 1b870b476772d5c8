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
    Instant expiresAt) {

  public KeyPatch {
    if (name != null && (name.isBlank() || name.length() > 200)) {
      throw new IllegalArgumentException("name must be 1 to 200 characters");
    }
    if (limit != null && limit.isNegative()) {
      throw new IllegalArgumentException("limit must not be negative");
    }
  }
}
