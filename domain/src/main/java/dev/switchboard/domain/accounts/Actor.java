package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;

/**
 * Who asks for a change to an organization: a signed-in member (in the dashboard, or through a
 * single sign-on bearer token), or a management key of the organization, which acts with the {@code
 * admin} role there and nowhere else.
 */
public sealed interface Actor {

  static Actor member(UserId user) {
    return new Member(user);
  }

  static Actor managementKey(OrganizationId org, String keyHash) {
    return new ManagementKey(org, keyHash);
  }

  /** A person, with the role their membership gives them. */
  record Member(UserId user) implements Actor {}

  /** A management key: the role {@link #ROLE} in its own organization. */
  record ManagementKey(OrganizationId org, String keyHash) implements Actor {
    public static final Role ROLE = Role.ADMIN;
  }
}
