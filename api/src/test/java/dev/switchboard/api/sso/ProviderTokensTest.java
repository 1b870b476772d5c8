package dev.switchboard.api.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.switchboard.domain.accounts.VerifiedIdentity;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderTokensTest {

  private static final String ISSUER = "http://127.0.0.1:8180/realms/switchboard";
  private static final String CLIENT = "switchboard";

  private final RSAKey providerKey = rsaKey("provider-key");
  private final ProviderTokens tokens =
      new ProviderTokens(
          ISSUER, CLIENT, new ImmutableJWKSet<>(new JWKSet(providerKey.toPublicJWK())));

  @Test
  void acceptsATokenSignedByTheProviderForThisClient() throws Exception {
    JWTClaimsSet claims = tokens.verifyAccessToken(sign(providerKey, valid().build()));

    assertThat(claims.getSubject()).isEqualTo("user-1");
    assertThat(claims.getIssuer()).isEqualTo(ISSUER);
  }

  @Test
  void refusesAnotherAudienceIssuerOrAnExpiredOrNotYetValidToken() {
    long now = System.currentTimeMillis();
    assertRefused(sign(providerKey, valid().audience(List.of("account", "other")).build()));
    assertRefused(sign(providerKey, valid().issuer("http://localhost:8180/realms/x").build()));
    assertRefused(sign(providerKey, valid().expirationTime(new Date(now - 60_000)).build()));
    assertRefused(sign(providerKey, valid().notBeforeTime(new Date(now + 120_000)).build()));
    assertRefused(sign(providerKey, valid().expirationTime(null).build()));
  }

  @Test
  void refusesUnsignedTokensSharedSecretTokensAndOtherKeys() throws Exception {
    assertRefused(new PlainJWT(valid().build()).serialize());
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), valid().build());
    hmac.sign(new MACSigner("a shared secret of at least thirty-two bytes!"));
    assertRefused(hmac.serialize());
    // another realm's key, even under the provider key's id
    assertRefused(sign(rsaKey("provider-key"), valid().build()));
    assertRefused(sign(rsaKey("another-realm"), valid().build()));
    assertRefused("not a token");
  }

  @Test
  void anIdTokenNamesTheIdentityOnlyWithThisSignInsNonce() throws Exception {
    Nonce nonce = new Nonce();
    JWTClaimsSet claims =
        valid()
            .issueTime(new Date())
            .claim("nonce", nonce.getValue())
            .claim("email", "ada@example.com")
            .claim("email_verified", true)
            .claim("name", "Ada Lovelace")
            .build();
    SignedJWT idToken = SignedJWT.parse(sign(providerKey, claims));

    assertThat(tokens.verifyIdToken(idToken, nonce))
        .isEqualTo(new VerifiedIdentity(ISSUER, "user-1", "ada@example.com", true, "Ada Lovelace"));
    assertThatThrownBy(() -> tokens.verifyIdToken(idToken, new Nonce()))
        .isInstanceOf(TokenRejectedException.class);
  }

  private void assertRefused(String token) {
    assertThatThrownBy(() -> tokens.verifyAccessToken(token))
        .isInstanceOf(TokenRejectedException.class)
        .message()
        .doesNotContain(token);
  }

  private static JWTClaimsSet.Builder valid() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-1")
        .audience(List.of(CLIENT, "account"))
        .expirationTime(new Date(System.currentTimeMillis() + 300_000));
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey rsaKey(String id) {
    try {
      return new RSAKeyGenerator(2048).keyID(id).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
