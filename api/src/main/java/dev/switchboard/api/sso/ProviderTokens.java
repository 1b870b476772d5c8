package dev.switchboard.api.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.switchboard.domain.accounts.VerifiedIdentity;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies the tokens of one OpenID Connect provider: the signature by one of its published keys
 * with an asymmetric algorithm (never {@code none}, never a shared-secret HMAC), the issuer
 * exactly, this platform's client id among the audiences, and expiry and not-before with a small
 * clock skew.
 */
public final class ProviderTokens {

  /** Asymmetric algorithms only: a client secret must never be able to sign a token. */
  static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  static final int MAX_CLOCK_SKEW_SECONDS = 30;

  private final String issuer;
  private final DefaultJWTProcessor<SecurityContext> accessTokens = new DefaultJWTProcessor<>();
  private final IDTokenValidator idTokens;

  public ProviderTokens(String issuer, String clientId, JWKSource<SecurityContext> keys) {
    this.issuer = issuer;
    JWSVerificationKeySelector<SecurityContext> keySelector =
        new JWSVerificationKeySelector<>(ALGORITHMS, keys);
    accessTokens.setJWSKeySelector(keySelector);
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            clientId, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp"));
    claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
    accessTokens.setJWTClaimsSetVerifier(claims);
    idTokens = new IDTokenValidator(new Issuer(issuer), new ClientID(clientId), keySelector, null);
    idTokens.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
  }

  public String issuer() {
    return issuer;
  }

  /**
   * The claims of a valid access token.
   *
   * @throws TokenRejectedException when it is malformed, unsigned, signed otherwise than by the
   *     provider, or not for this platform, from this issuer, or valid now
   */
  public JWTClaimsSet verifyAccessToken(String token) throws TokenRejectedException {
    try {
      return accessTokens.process(token, null);
    } catch (ParseException e) {
      throw new TokenRejectedException("The bearer token is neither an API key nor a JWT");
    } catch (BadJOSEException e) {
      throw new TokenRejectedException("The bearer token was refused: " + e.getMessage());
    } catch (JOSEException e) {
      throw new TokenRejectedException("The bearer token's signature could not be checked");
    }
  }

  /**
   * Who an ID token says signed in, when it is valid and carries the nonce of this sign-in.
   *
   * @throws TokenRejectedException when it does not verify
   */
  public VerifiedIdentity verifyIdToken(JWT idToken, Nonce nonce) throws TokenRejectedException {
    try {
      IDTokenClaimsSet claims = idTokens.validate(idToken, nonce);
      Boolean verified = claims.getBooleanClaim("email_verified");
      return new VerifiedIdentity(
          claims.getIssuer().getValue(),
          claims.getSubject().getValue(),
          claims.getStringClaim("email"),
          Boolean.TRUE.equals(verified),
          claims.getStringClaim("name"));
    } catch (BadJOSEException e) {
      throw new TokenRejectedException(
          "The identity provider's ID token was refused: " + e.getMessage());
    } catch (JOSEException e) {
      throw new TokenRejectedException("The ID token's signature could not be checked");
    }
  }
}
