package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;

/** A user's place in an organization: which one, and the role held there. */
public record Membership(OrganizationId orgId, String orgName, boolean personal, Role role) {}
