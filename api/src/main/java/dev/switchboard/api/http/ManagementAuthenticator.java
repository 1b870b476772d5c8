package dev.switchboard.api.http;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.api.sso.OidcProvider;
import dev.switchboard.api.sso.ProviderUnavailableException;
import dev.switchboard.api.sso.TokenRejectedException;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Authenticates the management API: a management key ({@code sk-sb-…}), or, when single sign-on is
 * configured, the identity provider's access token of a member who has signed in to Switchboard
 * once. A token acts in the organization named by {@value #ORGANIZATION_HEADER} (its id), else in
 * the member's personal organization, with the member's role there; an organization they do not
 * belong to answers 404. Not used by inference, which accepts API keys only.
 */
@ApplicationScoped
public class ManagementAuthenticator {

  public static final String ORGANIZATION_HEADER = "X-Switchboard-Organization";
  private static final Logger LOG = Logger.getLogger(ManagementAuthenticator.class.getName());
  private static final String BEARER = "Bearer ";
  private static final String KEY_PREFIX = "sk-sb-";

  @Inject KeyAuthenticator keys;
  @Inject OidcProvider provider;
  @Inject UserRepository users;
  @Inject OrganizationRepository organizations;

  /**
   * The caller, allowed {@code needed} in its organization.
   *
   * @throws ApiException 401 for a bad key or token, 403 when a token's member lacks the permission
   *     or a key is no management key, 404 for an organization the member is not in, 503 when the
   *     identity provider cannot be reached to check a token
   */
  public ManagementCaller authenticate(
      String authorization, String organization, Permission needed) {
    Optional<String> token = accessToken(authorization);
    if (token.isEmpty()) {
      return ManagementCaller.of(keys.authenticateManagement(authorization));
    }
    JWTClaimsSet claims;
    try {
      claims = provider.resolved().tokens().verifyAccessToken(token.get());
    } catch (TokenRejectedException e) {
      LOG.fine(() -> "bearer token refused: " + e.getMessage());
      throw ApiException.unauthorized(e.getMessage());
    } catch (ProviderUnavailableException e) {
      LOG.warning(e.getMessage());
      throw new ApiException(503, "The identity provider cannot be reached to check the token");
    }
    User user =
        users
            .findByIdentity(claims.getIssuer(), claims.getSubject())
            .orElseThrow(
                () ->
                    ApiException.unauthorized(
                        "This identity has not signed in to Switchboard yet: sign in with SSO"
                            + " once in the dashboard"));
    OrganizationId org = organizationOf(organization, user);
    Membership membership =
        users.memberships(user.id()).stream()
            .filter(m -> m.orgId().equals(org))
            .findFirst()
            .orElseThrow(() -> ApiException.notFound("No such organization"));
    if (!membership.role().can(needed)) {
      throw new ApiException(
          403,
          "Your role ("
              + membership.role().wireName()
              + ") does not allow this in this organization");
    }
    UUID workspace = organizations.find(org).orElseThrow().defaultWorkspaceId();
    return new ManagementCaller(org, workspace, Optional.empty());
  }

  /** The bearer when it is to be read as an access token: not an API key, and SSO configured. */
  private Optional<String> accessToken(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || provider.configured().isEmpty()) {
      return Optional.empty();
    }
    String bearer = authorization.substring(BEARER.length()).trim();
    return bearer.startsWith(KEY_PREFIX) || bearer.isEmpty()
        ? Optional.empty()
        : Optional.of(bearer);
  }

  private static OrganizationId organizationOf(String header, User user) {
    if (header == null || header.isBlank()) {
      return user.personalOrgId();
    }
    try {
      return new OrganizationId(UUID.fromString(header.strip()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(ORGANIZATION_HEADER + " must be an organization id");
    }
  }
}
