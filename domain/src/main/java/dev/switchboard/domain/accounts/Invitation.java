package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;

/** A pending invitation to join an organization with a role. */
public record Invitation(
    OrganizationId orgId,
    String orgName,
    String email,
    Role role,
    String invitedBy,
    Instant expiresAt) {}
