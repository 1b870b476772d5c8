package dev.switchboard.domain.accounts;

import java.util.Locale;
import java.util.Optional;

/** What a member may do in an organization; the permission table is in the web-ui README. */
public enum Role {
  OWNER,
  ADMIN,
  BILLING,
  MEMBER;

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
