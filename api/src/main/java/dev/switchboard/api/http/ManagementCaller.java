package dev.switchboard.api.http;

import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.Optional;
import java.util.UUID;

/**
 * Who calls the management API, and in which organization: a management key, or a member signed in
 * at the identity provider (a bearer access token).
 *
 * @param workspaceId where keys the caller creates go
 * @param keyHash the calling management key's hash; empty for a token
 */
public record ManagementCaller(OrganizationId orgId, UUID workspaceId, Optional<String> keyHash) {

  static ManagementCaller of(ApiKey managementKey) {
    return new ManagementCaller(
        managementKey.orgId(), managementKey.workspaceId(), Optional.of(managementKey.hash()));
  }

  /** Whether the caller is this key (which must not delete itself). */
  public boolean is(String hash) {
    return keyHash.filter(hash::equals).isPresent();
  }
}
