package dev.switchboard.domain.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A part of an organization that holds API keys; every organization has one default workspace. */
public record Workspace(
    UUID id, OrganizationId orgId, String name, boolean isDefault, Instant createdAt) {}
