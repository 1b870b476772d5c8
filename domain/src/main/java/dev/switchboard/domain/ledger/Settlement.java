package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.usage.Generation;
import java.util.UUID;

/**
 * One write to the money: a request's generation and its cost to debit (none when the request
 * failed before producing anything), and what the key's lease shrinks by in return ({@code
 * fromLease}); or, with {@code closesLease}, the lease's return, which releases whatever it still
 * holds. Made by {@link SpendGate}, written by {@link SettlementBook}.
 */
public record Settlement(
    UUID leaseId,
    OrganizationId orgId,
    UUID apiKeyId,
    Generation generation,
    Credits fromLease,
    boolean closesLease) {

  static Settlement shrink(Lease lease, Generation generation, Credits fromLease) {
    return new Settlement(lease.id, lease.orgId, lease.keyId, generation, fromLease, false);
  }

  static Settlement close(Lease lease) {
    return returned(lease.id, lease.orgId, lease.keyId);
  }

  /** The return of a lease: whatever it still holds is released. */
  static Settlement returned(UUID leaseId, OrganizationId orgId, UUID apiKeyId) {
    return new Settlement(leaseId, orgId, apiKeyId, null, Credits.ZERO, true);
  }

  public Credits cost() {
    return generation == null ? Credits.ZERO : generation.cost();
  }
}
