package dev.switchboard.api.rest.keys;

import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/** A key as the keys API shows it: never its plaintext; money in USD. */
public record KeyView(
    String hash,
    String name,
    String label,
    String workspaceId,
    boolean disabled,
    BigDecimal limit,
    BigDecimal limitRemaining,
    String limitReset,
    Integer rateLimitRpm,
    BigDecimal usage,
    boolean isManagementKey,
    String createdAt,
    String updatedAt,
    String expiresAt) {

  public static KeyView of(ApiKey key, Clock clock) {
    return new KeyView(
        key.hash(),
        key.name(),
        key.label(),
        key.workspaceId().toString(),
        key.disabled(),
        usd(key.limit()),
        usd(key.limitRemaining(clock.instant())),
        key.limitReset() == null ? null : key.limitReset().wireName(),
        key.rateLimitRpm(),
        key.usage().toUsd(),
        key.management(),
        text(key.createdAt()),
        text(key.updatedAt()),
        text(key.expiresAt()));
  }

  /** USD, or null for no amount (no limit). */
  public static BigDecimal usd(Credits credits) {
    return credits == null ? null : credits.toUsd();
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
