package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.accounts.User;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * Cross-site request forgery against a signed-in member's session. The dashboard's changes travel
 * as Vaadin UIDL requests, which carry the UI's CSRF token: the member's own click, captured in
 * Chromium before it leaves and replayed with their session cookie, creates a key only with the
 * right token. Everything else that changes state (the management REST API, the operator API, the
 * single sign-on servlet) ignores the session cookie altogether, so a cross-site form that can only
 * carry the cookie changes nothing.
 */
@ExtendWith(SwitchboardExtension.class)
class CrossSiteRequestIT {

  private static final String ELSEWHERE = "http://attacker.example";

  /** Keeps the page's next UIDL request from leaving; its address and body are kept instead. */
  private static final String CAPTURE_NEXT_UIDL =
      """
      window.__captured = null;
      const open = XMLHttpRequest.prototype.open;
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.open = function (method, url) {
        this.__url = String(url);
        return open.apply(this, arguments);
      };
      XMLHttpRequest.prototype.send = function (body) {
        if (this.__url.includes('v-r=uidl') && window.__captured === null) {
          window.__captured = {url: this.__url, body: String(body)};
          return;
        }
        return send.apply(this, arguments);
      };
      """;

  @Test
  void aReplayedDashboardClickWithoutTheRightCsrfTokenIsRefusedAndCreatesNoKey(
      RunningSwitchboard switchboard) {
    String email = "csrf-" + UUID.randomUUID() + "@example.test";
    User member = new People(switchboard).verified(email);
    String org = member.personalOrgId().value().toString();

    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, email, People.PASSWORD);

      Cookie session = chromium.driver.manage().getCookieNamed("JSESSIONID");
      assertThat(session).as("the signed-in session cookie").isNotNull();
      assertThat(session.isHttpOnly()).as("hidden from scripts").isTrue();
      assertThat(session.getSameSite()).as("not sent by cross-site requests").isEqualTo("Lax");

      chromium.visible("create-key").click();
      chromium.type("create-key-name", "forged");
      chromium
          .visible("create-key-name")
          .findElement(By.cssSelector("input"))
          .sendKeys(Keys.TAB); // the name reaches the server before the click is captured
      chromium.wait.until((WebDriver d) -> chromium.vaadinIsIdle());
      chromium.driver.executeScript(CAPTURE_NEXT_UIDL);
      chromium.visible("create-key-submit").click();
      Map<?, ?> captured =
          chromium.wait.until(
              (WebDriver d) ->
                  (Map<?, ?>) chromium.driver.executeScript("return window.__captured"));
      URI uidl = URI.create(chromium.driver.getCurrentUrl()).resolve((String) captured.get("url"));
      ObjectNode click = (ObjectNode) ExactJson.parse((String) captured.get("body"));
      assertThat(click.path("csrfToken").asText()).as("the page sends its token").isNotBlank();
      assertThat(click.path("rpc").toString()).contains("\"event\":\"click\"");
      String cookie = "JSESSIONID=" + session.getValue();

      int refusedBefore = refusedSecurityKeys(switchboard);
      ObjectNode missing = click.deepCopy();
      missing.remove("csrfToken");
      ObjectNode wrong = click.deepCopy();
      wrong.put("csrfToken", UUID.randomUUID().toString());
      for (ObjectNode forged : List.of(missing, wrong)) {
        HttpResponse<String> answer = postUidl(switchboard, uidl, cookie, forged.toString());
        assertThat(answer.body())
            .as("a forged click is answered without running it")
            .doesNotContain("sk-sb-v1-")
            .doesNotContain("forged");
        assertThat(keysOf(switchboard, org)).as("keys after " + forged).isZero();
      }
      // Vaadin logs each refusal for its security key (the log is copied by a thread: wait for it)
      chromium.wait.until((WebDriver d) -> refusedSecurityKeys(switchboard) - refusedBefore == 2);

      // the control: the same request with the page's own token is the member's click, and works
      HttpResponse<String> own = postUidl(switchboard, uidl, cookie, click.toString());
      assertThat(own.statusCode()).isEqualTo(200);
      assertThat(own.body()).contains("sk-sb-v1-");
      assertThat(keysOf(switchboard, org)).isEqualTo(1);
    }
  }

  @Test
  void aCrossSiteFormCarryingOnlyTheSessionCookieChangesNothingOutsideTheDashboard(
      RunningSwitchboard switchboard) {
    String email = "csrf-form-" + UUID.randomUUID() + "@example.test";
    new People(switchboard).verified(email);
    String cookie;
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, email, People.PASSWORD);
      cookie = "JSESSIONID=" + chromium.driver.manage().getCookieNamed("JSESSIONID").getValue();
      Map<String, Long> before = switchboard.tableRowCounts();

      // a form can only POST; every endpoint that changes something is sent one, with the cookie
      List<String> answered = new ArrayList<>();
      for (String endpoint : ApplicationSurface.httpEndpoints()) {
        String verb = endpoint.substring(0, endpoint.indexOf(' '));
        if (verb.equals("GET") || verb.equals("HEAD") || verb.equals("OPTIONS")) {
          continue;
        }
        String path =
            endpoint
                .substring(endpoint.indexOf(' ') + 1)
                .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        // as a form sends it, and as JSON (were a cross-site script ever let through)
        for (String[] body :
            List.of(
                new String[] {"application/x-www-form-urlencoded", "name=forged&amount=100"},
                new String[] {"application/json", "{\"name\":\"forged\",\"amount\":\"100\"}"})) {
          HttpResponse<String> answer =
              switchboard.send(
                  HttpRequest.newBuilder(switchboard.uri(path))
                      .timeout(Duration.ofSeconds(30))
                      .header("Cookie", cookie)
                      .header("Origin", ELSEWHERE)
                      .header("Content-Type", body[0])
                      .POST(HttpRequest.BodyPublishers.ofString(body[1]))
                      .build());
          answered.add(endpoint + " " + body[0] + " → " + answer.statusCode());
          assertThat(answer.statusCode())
              .as("POST %s (%s) with only the session cookie: %s", path, body[0], answer.body())
              .isBetween(400, 499);
        }
      }
      assertThat(answered).as("the endpoints tried").isNotEmpty();
      assertThat(switchboard.tableRowCounts()).as("after " + answered).isEqualTo(before);

      // the session it carried is still the member's: it was not ignored for being unknown
      chromium.driver.get(switchboard.uri("/keys").toString());
      chromium.waitForText("signed-in-as", text -> text.equals(email));
    }
  }

  private static HttpResponse<String> postUidl(
      RunningSwitchboard switchboard, URI uidl, String cookie, String body) {
    return switchboard.send(
        HttpRequest.newBuilder(uidl)
            .timeout(Duration.ofSeconds(30))
            .header("Cookie", cookie)
            .header("Origin", ELSEWHERE)
            .header("Content-Type", "application/json; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** How often the instance has logged a UIDL request refused for its CSRF token. */
  private static int refusedSecurityKeys(RunningSwitchboard switchboard) {
    return switchboard.logText().split("Invalid security key received", -1).length - 1;
  }

  private static long keysOf(RunningSwitchboard switchboard, String org) {
    return switchboard.queryLong("SELECT count(*) FROM api_keys WHERE org_id = ?::uuid", org);
  }
}
