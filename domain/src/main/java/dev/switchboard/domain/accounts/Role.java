package dev.switchboard.domain.accounts;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a member may do in an organization; the permission table is in {@code docs/permissions.md}.
 */
public enum Role {
  OWNER(EnumSet.allOf(Permission.class)),
  ADMIN(
      EnumSet.of(
          Permission.MANAGE_OWN_KEYS,
          Permission.MANAGE_ALL_KEYS,
          Permission.VIEW_CREDITS,
          Permission.MANAGE_MEMBERS,
          Permission.MANAGE_WORKSPACES,
          Permission.MANAGE_PROVIDER_KEYS,
          Permission.MANAGE_SETTINGS)),
  BILLING(
      EnumSet.of(
          Permission.MANAGE_OWN_KEYS,
          Permission.VIEW_CREDITS,
          Permission.BUY_CREDITS,
          Permission.MANAGE_BILLING_DETAILS)),
  MEMBER(EnumSet.of(Permission.MANAGE_OWN_KEYS));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean can(Permission permission) {
    return permissions.contains(permission);
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code owner}, {@code admin}, {@code billing} or {@code member}. */
  public static Optional<Role> parse(String text) {
    for (Role role : values()) {
      if (role.wireName().equals(text)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
