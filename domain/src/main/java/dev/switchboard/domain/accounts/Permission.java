package dev.switchboard.domain.accounts;

/**
 * What a role allows in an organization. Which role has which is {@link Role#can}, and the table in
 * {@code docs/permissions.md} says the same (a test compares them cell by cell).
 */
public enum Permission {
  /** Create keys and manage the keys one created. */
  MANAGE_OWN_KEYS,
  /** Manage every key of the organization, whoever created it. */
  MANAGE_ALL_KEYS,
  /** See the credits balance and the ledger. */
  VIEW_CREDITS,
  /** Buy credits, set auto top-up, ask for refunds. */
  BUY_CREDITS,
  /** Edit the billing details the organization's invoices are addressed to. */
  MANAGE_BILLING_DETAILS,
  /** Invite people, change roles below owner, remove members. */
  MANAGE_MEMBERS,
  /** Make or unmake owners (and so transfer ownership). */
  MANAGE_OWNERS,
  /** Create workspaces (every member sees them, to put their keys in one). */
  MANAGE_WORKSPACES,
  /**
   * Set, rotate and delete the organization's own provider keys (bring your own key), which the
   * platform then routes its requests with.
   */
  MANAGE_PROVIDER_KEYS,
  /** Rename the organization, require single sign-on. */
  MANAGE_SETTINGS,
  /** Delete the organization. */
  DELETE_ORGANIZATION
}
