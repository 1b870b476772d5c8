package dev.switchboard.domain.keys;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An API key as stored: never its plaintext. {@code limit} is a spending cap per {@code limitReset}
 * period (or for the key's whole life when there is no reset). {@code createdBy} is the member who
 * created it in the dashboard (null for management keys and keys made through the API). {@code
 * organizationDisabled} is read with the key for authentication only (false otherwise): the
 * platform's operator disabled its organization. {@code rateLimitRpm} is the key's request rate
 * limit (requests per minute, null: none) and {@code organizationRateLimitRpm} the one the operator
 * set on its organization, read with the key for authentication only (null otherwise). {@code
 * organizationPurchased} (the credits its organization ever bought) and {@code organizationBalance}
 * are also read with the key for authentication only (null otherwise), so that the free tier's
 * quotas and its refusal of a negative balance need no database read per request; they are as old
 * as the key cache's entry (seconds).
 */
public record ApiKey(
    UUID id,
    OrganizationId orgId,
    UUID workspaceId,
    String hash,
    String name,
    String label,
    boolean management,
    Credits limit,
    LimitReset limitReset,
    Credits periodUsage,
    Instant periodStart,
    Credits usage,
    boolean disabled,
    Instant expiresAt,
    Instant createdAt,
    Instant updatedAt,
    UUID createdBy,
    boolean organizationDisabled,
    Integer rateLimitRpm,
    Integer organizationRateLimitRpm,
    Credits organizationPurchased,
    Credits organizationBalance) {

  public Optional<Credits> limitOptional() {
    return Optional.ofNullable(limit);
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public boolean isUsable(Instant now) {
    return !disabled && !isExpired(now);
  }

  /** Start of the limit period containing {@code now}, or null when the limit never resets. */
  public Instant currentPeriodStart(Instant now) {
    return limitReset == null ? null : limitReset.periodStart(now);
  }

  /** What the key may still spend in the current period; null when it has no limit. */
  public Credits limitRemaining(Instant now) {
    return limit == null ? null : limit.minus(usageInCurrentPeriod(now)).max0();
  }

  /** Spend counted against the limit at {@code now}: zero once a new period has begun. */
  public Credits usageInCurrentPeriod(Instant now) {
    if (limitReset == null) {
      return periodUsage;
    }
    Instant current = limitReset.periodStart(now);
    return periodStart != null && !periodStart.isBefore(current) ? periodUsage : Credits.ZERO;
  }
}
