package dev.switchboard.domain.tenancy;

import java.time.Instant;
import java.util.UUID;

/** An organization and its default workspace, where keys live unless told otherwise. */
public record Organization(
    OrganizationId id, String name, UUID defaultWorkspaceId, Instant createdAt) {}
