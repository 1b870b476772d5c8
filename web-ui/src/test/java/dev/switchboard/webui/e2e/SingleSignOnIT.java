package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Single sign-on against a real Keycloak ({@link Keycloak}): a new person signs in through the
 * Keycloak login form in Chromium and lands on the Keys page; a local account is linked by its
 * verified address, and once its team requires SSO its password sign-in is refused; the management
 * API takes the realm's access tokens and refuses those with a wrong audience, a wrong issuer,
 * expired, unsigned ({@code alg=none}) or signed by another realm.
 */
class SingleSignOnIT {

  private static final String PASSWORD = "a long enough passphrase";
  private static Keycloak keycloak;
  private static GreenMail mail;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() throws Exception {
    keycloak = Keycloak.shared();
    mail = MailedLinks.startSmtpServer();
    switchboard =
        RunningSwitchboard.start(
            Map.of(
                "SWITCHBOARD_OIDC_ISSUER",
                keycloak.issuer(),
                "SWITCHBOARD_OIDC_CLIENT_ID",
                Keycloak.CLIENT_ID,
                "SWITCHBOARD_OIDC_CLIENT_SECRET",
                Keycloak.CLIENT_SECRET,
                "SWITCHBOARD_SMTP_HOST",
                "127.0.0.1",
                "SWITCHBOARD_SMTP_PORT",
                String.valueOf(mail.getSmtp().getPort())));
  }

  @AfterAll
  static void stop() {
    if (switchboard != null) {
      switchboard.close();
    }
    if (mail != null) {
      mail.stop();
    }
  }

  @Test
  void aNewPersonSignsInThroughKeycloakAndLandsOnTheKeysPage() {
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.driver.get(switchboard.uri("/signin").toString());
      chromium.visible("signin-sso");
      chromium.screenshots("sso-signin");
      chromium.visible("signin-sso").click();
      chromium.visible("username");
      chromium.screenshots("sso-keycloak-login");
      keycloakLogin(chromium, "grace", "grace-at-keycloak");

      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      chromium.waitForText("signed-in-as", text -> text.equals("grace@example.com"));
      chromium.waitForText("keys-empty", text -> text.contains("No keys yet"));
      chromium.screenshots("sso-keys");
    }
    assertThat(switchboard.logText()).doesNotContain("grace-at-keycloak");
  }

  @Test
  void linksALocalAccountByItsVerifiedAddressAndATeamRequiringSsoRefusesPasswordSignIn()
      throws Exception {
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      MailedLinks.signUpAndVerify(
          chromium, switchboard, mail, "Ada Lovelace", "ada@example.com", PASSWORD);
      chromium.driver.get(switchboard.uri("/signin").toString());
      chromium.visible("signin-sso").click();
      keycloakLogin(chromium, "ada", "ada-at-keycloak");
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      chromium.waitForText("signed-in-as", text -> text.equals("ada@example.com"));

      chromium.driver.get(switchboard.uri("/members").toString());
      chromium.type("team-name", "Analytical Engines");
      chromium.visible("team-create").click();
      chromium.waitForText("organization-switcher", text -> text.contains("Analytical Engines"));
      chromium.driver.get(switchboard.uri("/settings").toString());
      chromium.visible("settings-require-sso").findElement(By.cssSelector("input")).click();
      chromium.waitForText("settings-message", text -> text.contains("must now sign in with SSO"));
      chromium.screenshots("sso-settings");

      chromium.visible("sign-out").click();
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/signin"));
      chromium.type("signin-email", "ada@example.com");
      chromium.type("signin-password", PASSWORD);
      chromium.visible("signin-submit").click();
      chromium.waitForText(
          "signin-message", text -> text.contains("Analytical Engines requires single sign-on"));
      chromium.screenshots("sso-password-refused");
      assertThat(chromium.driver.getCurrentUrl()).endsWith("/signin");
    }
  }

  @Test
  void theManagementApiTakesTheRealmsAccessTokensAndRefusesBadOnes() throws Exception {
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.driver.get(switchboard.uri("/signin").toString());
      chromium.visible("signin-sso").click();
      keycloakLogin(chromium, "linus", "linus-at-keycloak");
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
    }
    String token =
        keycloak.accessToken(
            Keycloak.REALM, "127.0.0.1", "linus", "linus-at-keycloak", Keycloak.CLIENT_SECRET);
    HttpResponse<String> keys = switchboard.get("/api/v1/keys", token);
    assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
    assertThat(ExactJson.parse(keys.body()).path("data").isArray()).isTrue();
    ErrorShape.assertError(
        withOrganization(token, UUID.randomUUID().toString()), 404, "an organization not theirs");
    // inference takes API keys only
    ErrorShape.assertError(
        switchboard.post("/api/v1/chat/completions", token, "{}", Map.of()),
        401,
        "a token on inference");

    SignedJWT real = SignedJWT.parse(token);
    JWTClaimsSet claims = real.getJWTClaimsSet();
    String kid = real.getHeader().getKeyID();
    // the realm's own key signs the control, so each refusal below is for its one flaw
    assertThat(switchboard.get("/api/v1/keys", sign(kid, claims)).statusCode()).isEqualTo(200);

    Map<String, String> bad =
        Map.of(
            "wrong audience",
            sign(kid, new JWTClaimsSet.Builder(claims).audience(List.of("account")).build()),
            "wrong issuer",
            keycloak.accessToken(
                Keycloak.REALM, "localhost", "linus", "linus-at-keycloak", Keycloak.CLIENT_SECRET),
            "expired",
            sign(
                kid,
                new JWTClaimsSet.Builder(claims)
                    .issueTime(new Date(System.currentTimeMillis() - 3_600_000))
                    .expirationTime(new Date(System.currentTimeMillis() - 600_000))
                    .build()),
            "alg=none",
            new PlainJWT(claims).serialize(),
            "signed by another realm",
            keycloak.accessToken(
                Keycloak.OTHER_REALM,
                "127.0.0.1",
                "linus",
                "linus-at-keycloak",
                Keycloak.OTHER_CLIENT_SECRET));
    for (Map.Entry<String, String> refused : bad.entrySet()) {
      JsonNode error =
          ErrorShape.assertError(
              switchboard.get("/api/v1/keys", refused.getValue()), 401, refused.getKey());
      assertThat(error.path("message").asText()).doesNotContain(refused.getValue());
    }
    assertThat(switchboard.logText()).doesNotContain(token);
  }

  private static HttpResponse<String> withOrganization(String token, String organization) {
    return switchboard.send(
        HttpRequest.newBuilder(switchboard.uri("/api/v1/keys"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("X-Switchboard-Organization", organization)
            .GET()
            .build());
  }

  /** Signs claims with the test realm's fixed private key, as Keycloak would. */
  private static String sign(String kid, JWTClaimsSet claims) throws Exception {
    JsonNode realm =
        ExactJson.parse(
            Files.readString(Path.of("src/test/resources/keycloak/switchboard-realm.json")));
    String pem =
        realm
            .path("components")
            .path("org.keycloak.keys.KeyProvider")
            .path(0)
            .path("config")
            .path("privateKey")
            .path(0)
            .asText()
            .replaceAll("-----[A-Z ]+-----", "")
            .replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static void keycloakLogin(HeadlessChromium chromium, String user, String password) {
    chromium.visible("username").sendKeys(user);
    chromium.visible("password").sendKeys(password);
    chromium.visible("kc-login").click();
  }
}
