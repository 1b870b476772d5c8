package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;

/** A person with an account, as stored (never the password, only whether there is one). */
public record User(
    UserId id,
    String email,
    String displayName,
    boolean emailVerified,
    OrganizationId personalOrgId,
    Instant createdAt) {}
