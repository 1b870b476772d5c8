package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.UUID;

/**
 * The worst-case cost of one request, held in memory against its key's spend lease (the lease, not
 * the request, is what the database holds) until the request settles.
 */
public record Reservation(UUID leaseId, OrganizationId orgId, UUID apiKeyId, Credits amount) {}
