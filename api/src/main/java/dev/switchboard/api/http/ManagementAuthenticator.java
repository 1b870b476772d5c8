package dev.switchboard.api.http;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.api.sso.OidcProvider;
import dev.switchboard.api.sso.ProviderUnavailableException;
import dev.switchboard.api.sso.TokenRejectedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Authenticates the callers of the management REST API (keys, members, workspaces) and names the
 * organization they act in: a management key ({@code sk-sb-…}), which acts as an {@code admin} of
 * its own organization; or, when single sign-on is configured, the identity provider's access token
 * of a member who has signed in to Switchboard once, acting with their role in the organization
 * named by {@value #ORGANIZATION_HEADER} (its id), else in their personal one. An organization the
 * member does not belong to answers 404. Inference does not come here: it takes API keys only.
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
  @Inject HttpServletRequest request;

  /**
   * The caller of an {@code Authorization: Bearer …} header.
   *
   * @throws ApiException 401 when it names no usable credential, 403 for an API key that is not a
   *     management key, 400 or 404 for a bad {@value #ORGANIZATION_HEADER}, 503 when the identity
   *     provider cannot be reached to check a token
   */
  public ManagementCaller authenticate(String authorization) {
    Optional<String> token = accessToken(authorization);
    if (token.isEmpty()) {
      ApiKey key = keys.authenticateManagement(authorization);
      return new ManagementCaller(
          key.orgId(), Actor.managementKey(key.orgId(), key.hash()), Actor.ManagementKey.ROLE);
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
    OrganizationId org = organizationOf(request.getHeader(ORGANIZATION_HEADER), user);
    Membership membership =
        users.memberships(user.id()).stream()
            .filter(m -> m.orgId().equals(org))
            .findFirst()
            .orElseThrow(() -> ApiException.notFound("No such organization"));
    return new ManagementCaller(org, Actor.member(user.id()), membership.role());
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
