package dev.switchboard.api.http;

import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.Optional;
import java.util.UUID;

/**
 * Who calls a management endpoint, and the one organization they act in: a management key (with the
 * {@code admin} role in its own organization) or a member. Every management resource acts in {@link
 * #org()} only.
 *
 * @param role what the caller may do there, checked again by the domain services for changes
 */
public record ManagementCaller(OrganizationId org, Actor actor, Role role) {

  /** The member behind the call, when it is a person rather than a key. */
  public Optional<UUID> userId() {
    return actor instanceof Actor.Member m ? Optional.of(m.user().value()) : Optional.empty();
  }

  public boolean can(Permission permission) {
    return role.can(permission);
  }
}
