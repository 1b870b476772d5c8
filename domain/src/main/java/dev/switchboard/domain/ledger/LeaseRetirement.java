package dev.switchboard.domain.ledger;

import dev.switchboard.domain.tenancy.OrganizationId;

/**
 * Retires an organization's spend leases on this instance, when what it may spend went down by
 * other means than its requests (a refund, a dispute): the unused part of each lease goes back to
 * the database before this returns, and requests in flight keep what they reserved.
 */
@FunctionalInterface
public interface LeaseRetirement {

  void retireLeases(OrganizationId org);
}
