package dev.switchboard.domain.ledger;

import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * This instance's share of what one key may spend: {@code granted} is the lease's amount in the
 * database once the writes already handed to the settlement queue are applied, {@code outstanding}
 * the worst cases of its requests in flight. Guarded by its own monitor; {@link SpendGate} owns it.
 */
final class Lease {

  final UUID id = UUID.randomUUID();
  final OrganizationId orgId;
  final UUID keyId;

  /** The key's limit terms the lease was taken under: a changed limit retires it. */
  private final Credits limit;

  private final LimitReset limitReset;

  long granted;
  long outstanding;

  /** What the last grow asked for: each asks for up to twice as much, so busy keys grow rarely. */
  long lastWant;

  /**
   * When the database row last had its expiry pushed to: past it, the reconciler may release it.
   */
  Instant confirmedUntil = Instant.EPOCH;

  Instant lastUsed;

  /** Takes no more requests; closed (returned) once the last of them settles. */
  boolean retired;

  /** Returned: gone from the database, or about to be. */
  boolean closed;

  Lease(ApiKey key, Instant now) {
    this.orgId = key.orgId();
    this.keyId = key.id();
    this.limit = key.limit();
    this.limitReset = key.limitReset();
    this.lastUsed = now;
  }

  /** Whether the database has a row for it. */
  boolean everGranted() {
    return !confirmedUntil.equals(Instant.EPOCH);
  }

  long remaining() {
    return granted - outstanding;
  }

  boolean takenUnder(ApiKey key) {
    return Objects.equals(limit, key.limit()) && limitReset == key.limitReset();
  }
}
