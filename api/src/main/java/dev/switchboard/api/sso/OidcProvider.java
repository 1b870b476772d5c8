package dev.switchboard.api.sso;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.switchboard.api.platform.SwitchboardSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;

/**
 * The configured OpenID Connect provider: its discovery document and its signing keys, fetched on
 * first use (not at start-up, so that the platform starts while the provider is down) and kept. The
 * keys are cached and fetched again when a token names a key not seen yet (the provider rotated its
 * keys), at most once per 30 seconds.
 */
@ApplicationScoped
public class OidcProvider {

  static final int TIMEOUT_MILLIS = 5_000;
  private static final int JWKS_SIZE_LIMIT = 512 * 1024;

  /** The provider's endpoints and a verifier of its tokens. */
  public record Resolved(OIDCProviderMetadata metadata, ProviderTokens tokens) {}

  @Inject SwitchboardSettings settings;

  private volatile Resolved resolved;

  /** The settings, when single sign-on is configured. */
  public Optional<SwitchboardSettings.Oidc> configured() {
    return settings.oidc();
  }

  /**
   * The provider, discovered once.
   *
   * @throws ProviderUnavailableException when it is not configured or cannot be reached
   */
  public Resolved resolved() throws ProviderUnavailableException {
    Resolved known = resolved;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (resolved == null) {
        SwitchboardSettings.Oidc oidc =
            configured()
                .orElseThrow(
                    () -> new ProviderUnavailableException("Single sign-on is not configured"));
        resolved = discover(oidc);
      }
      return resolved;
    }
  }

  private static Resolved discover(SwitchboardSettings.Oidc oidc)
      throws ProviderUnavailableException {
    try {
      OIDCProviderMetadata metadata =
          OIDCProviderMetadata.resolve(new Issuer(oidc.issuer()), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
      JWKSource<SecurityContext> keys =
          JWKSourceBuilder.<SecurityContext>create(
                  metadata.getJWKSetURI().toURL(),
                  new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
              .build();
      return new Resolved(metadata, new ProviderTokens(oidc.issuer(), oidc.clientId(), keys));
    } catch (GeneralException | IOException e) {
      throw new ProviderUnavailableException(
          "The identity provider " + oidc.issuer() + " could not be reached: " + e.getMessage());
    }
  }
}
