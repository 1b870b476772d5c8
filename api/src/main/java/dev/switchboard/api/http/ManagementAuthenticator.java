package dev.switchboard.api.http;

import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.keys.ApiKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Authenticates the callers of the management REST API (keys, members, workspaces) and names the
 * organization they act in. Today that is a management key, which acts as an {@code admin} of its
 * own organization.
 */
@ApplicationScoped
public class ManagementAuthenticator {

  @Inject KeyAuthenticator keys;

  /**
   * The caller of an {@code Authorization: Bearer …} header.
   *
   * @throws ApiException 401 when it names no usable credential, 403 for an API key that is not a
   *     management key
   */
  public ManagementCaller authenticate(String authorization) {
    ApiKey key = keys.authenticateManagement(authorization);
    return new ManagementCaller(
        key.orgId(), Actor.managementKey(key.orgId(), key.hash()), Actor.ManagementKey.ROLE);
  }
}
