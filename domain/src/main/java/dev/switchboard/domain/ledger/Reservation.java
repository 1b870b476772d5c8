package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.UUID;

/** The worst-case cost of one request, held until the request settles. */
public record Reservation(UUID id, OrganizationId orgId, UUID apiKeyId, Credits amount) {}
