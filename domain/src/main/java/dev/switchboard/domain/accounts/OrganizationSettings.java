package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;

/** What an organization's Settings page shows and changes. */
public record OrganizationSettings(
    OrganizationId id, String name, boolean personal, boolean requireSso) {}
