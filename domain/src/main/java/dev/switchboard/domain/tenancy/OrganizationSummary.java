package dev.switchboard.domain.tenancy;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;

/** An organization as the platform operator lists it. */
public record OrganizationSummary(
    OrganizationId id,
    String name,
    boolean personal,
    long members,
    Credits balance,
    Instant createdAt,
    Instant disabledAt) {

  public boolean disabled() {
    return disabledAt != null;
  }
}
