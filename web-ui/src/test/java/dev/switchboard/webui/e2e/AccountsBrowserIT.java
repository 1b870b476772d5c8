package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.domain.accounts.User;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A new person in a real browser against the built jar, with e-mail through a real SMTP server in
 * this JVM (GreenMail): signs up, follows the verification link from the received message, signs
 * in, creates a key on the Keys page, calls the API with it through openai-java and sees its usage
 * on the Keys page; then signs out, and the Keys page is closed to them.
 */
class AccountsBrowserIT {

  private static final String PASSWORD = "a long enough passphrase";
  private static final String OPERATOR = "root@example.test";
  private static GreenMail mail;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() throws IOException {
    mail = MailedLinks.startSmtpServer();
    switchboard =
        RunningSwitchboard.start(
            Map.of(
                "SWITCHBOARD_SMTP_HOST",
                "127.0.0.1",
                "SWITCHBOARD_SMTP_PORT",
                String.valueOf(mail.getSmtp().getPort()),
                "SWITCHBOARD_SMTP_FROM",
                "Switchboard <no-reply@switchboard.test>",
                "SWITCHBOARD_ADMIN_EMAIL",
                OPERATOR));
    new People(switchboard).verified(OPERATOR); // the operator's account, for every test here
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
  void signsUpVerifiesSignsInCreatesAKeyUsesItAndSeesItsUsage() throws Exception {
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      WebDriver browser = chromium.driver;
      int before = mail.getReceivedMessages().length;
      browser.get(switchboard.uri("/signup").toString());
      chromium.type("signup-name", "Grace Hopper");
      chromium.type("signup-email", "grace@example.test");
      chromium.type("signup-password", PASSWORD);
      chromium.screenshots("signup");
      chromium.visible("signup-submit").click();
      chromium.waitForText("signup-message", text -> text.contains("Check your inbox"));

      // signing in before verifying is refused, and mails a fresh link
      browser.get(switchboard.uri("/signin").toString());
      signIn(chromium, "grace@example.test", PASSWORD);
      chromium.waitForText("signin-message", text -> text.contains("Verify your e-mail"));

      String verify = linkIn(awaitMail(before + 2), "verify-email");
      browser.get(verify);
      chromium.waitForText("verify-message", text -> text.contains("is verified"));

      browser.get(switchboard.uri("/signin").toString());
      signIn(chromium, "grace@example.test", "not the password");
      chromium.waitForText("signin-message", text -> text.contains("not right"));
      signIn(chromium, "grace@example.test", PASSWORD);
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      chromium.waitForText("keys-empty", text -> text.contains("No keys yet"));
      assertThat(chromium.visible("signed-in-as").getText()).isEqualTo("grace@example.test");

      chromium.visible("create-key").click();
      chromium.type("create-key-name", "laptop");
      chromium.visible("create-key-submit").click();
      String key =
          chromium
              .visible("new-key-value")
              .findElement(By.cssSelector("input"))
              .getAttribute("value");
      assertThat(key).startsWith("sk-sb-v1-");
      chromium.screenshots("new-key");
      chromium.visible("new-key-done").click();
      chromium.waitForCells("keys-grid", cells -> cells.contains("laptop"));

      // credits come from the operator until they can be bought: the Credits page names the org
      browser.get(switchboard.uri("/credits").toString());
      String orgId = chromium.visible("credits-org-id").getText();
      chromium.waitForText("statement-empty", text -> text.contains("Nothing yet"));
      assertThat(
              new Tenant(switchboard, orgId, null).grant("2.00", "welcome-" + orgId).statusCode())
          .isEqualTo(201);

      OpenAIClient sdk =
          OpenAIOkHttpClient.builder().baseUrl(switchboard.apiBase()).apiKey(key).build();
      ChatCompletion completion =
          sdk.chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("openai/gpt-4o-mini")
                      .addUserMessage("Say hello.")
                      .maxCompletionTokens(20)
                      .build());
      assertThat(completion.choices().get(0).message().content()).isPresent();
      BigDecimal cost =
          BigDecimal.valueOf(
              completion
                  .usage()
                  .orElseThrow()
                  ._additionalProperties()
                  .get("cost")
                  .convert(Double.class));
      assertThat(cost).isPositive();

      // the usage is settled in the background: the page shows it once it is written
      chromium.wait.until(
          (WebDriver d) -> {
            d.get(switchboard.uri("/keys").toString());
            chromium.waitForCells("keys-grid", cells -> cells.contains("laptop"));
            return chromium.cells("keys-grid").stream()
                .filter(cell -> cell.startsWith("$"))
                .anyMatch(cell -> new BigDecimal(cell.substring(1)).compareTo(cost) == 0);
          });
      assertThat(chromium.cells("keys-grid")).doesNotContain("never"); // last used: just now
      chromium.screenshots("keys");
      browser.get(switchboard.uri("/credits").toString());
      chromium.waitForCells(
          "statement-grid",
          cells -> cells.contains("Credits added: e2e") && cells.contains("Usage: 1 request"));
      chromium.screenshots("credits");
      browser.get(switchboard.uri("/keys").toString());
      chromium.waitForCells("keys-grid", cells -> cells.contains("laptop"));

      // the limit is changed in place, and the gateway enforces the new one at once
      browser
          .findElement(By.cssSelector("vaadin-button[aria-label='Change the limit of laptop']"))
          .click();
      chromium.type("edit-key-limit", "0.000001");
      chromium.visible("edit-key-submit").click();
      chromium.waitForCells(
          "keys-grid", cells -> cells.stream().anyMatch(c -> c.startsWith("$0.000001")));
      assertThat(
              switchboard
                  .post(
                      "/api/v1/chat/completions",
                      key,
                      "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":20,"
                          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                      Map.of())
                  .statusCode())
          .isEqualTo(402);

      chromium.visible("sign-out").click();
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/signin"));
      browser.get(switchboard.uri("/keys").toString());
      chromium.visible("signin-email");
      assertThat(browser.findElements(By.id("keys-grid"))).isEmpty();
    }
  }

  @Test
  void aForgottenPasswordIsResetThroughTheMailedLinkOnce() throws Exception {
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      WebDriver browser = chromium.driver;
      int before = mail.getReceivedMessages().length;
      browser.get(switchboard.uri("/signup").toString());
      chromium.type("signup-name", "Alan");
      chromium.type("signup-email", "alan@example.test");
      chromium.type("signup-password", PASSWORD);
      chromium.visible("signup-submit").click();
      browser.get(linkIn(awaitMail(before + 1), "verify-email"));
      chromium.waitForText("verify-message", text -> text.contains("is verified"));

      browser.get(switchboard.uri("/forgot-password").toString());
      chromium.type("forgot-email", "alan@example.test");
      chromium.visible("forgot-submit").click();
      chromium.waitForText("forgot-message", text -> text.contains("If an account uses"));
      String reset = linkIn(awaitMail(before + 2), "reset-password");

      browser.get(reset);
      chromium.type("reset-password", "a new and different passphrase");
      chromium.visible("reset-submit").click();
      chromium.waitForText("reset-message", text -> text.contains("Your password is changed"));
      browser.get(reset);
      chromium.type("reset-password", "yet another passphrase!");
      chromium.visible("reset-submit").click();
      chromium.waitForText("reset-message", text -> text.contains("not valid"));

      browser.get(switchboard.uri("/signin").toString());
      signIn(chromium, "alan@example.test", "a new and different passphrase");
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
    }
    assertThat(switchboard.logText())
        .as("no link or password reaches the log when mail goes through SMTP")
        .doesNotContain("token=")
        .doesNotContain(PASSWORD);
  }

  @Test
  void anOwnerInvitesSomeoneToATeamWhoJoinsAsMemberWithoutCreditsOrOthersKeys() throws Exception {
    try (HeadlessChromium owner = new HeadlessChromium();
        HeadlessChromium invitee = new HeadlessChromium()) {
      int before = mail.getReceivedMessages().length;
      MailedLinks.signUpAndVerify(owner, switchboard, mail, "Lin", "lin@example.test", PASSWORD);
      owner.driver.get(switchboard.uri("/signin").toString());
      signIn(owner, "lin@example.test", PASSWORD);
      owner.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));

      owner.driver.get(switchboard.uri("/members").toString());
      owner.type("team-name", "Analytical Engines");
      owner.visible("team-create").click();
      owner.waitForText("organization-switcher", text -> text.contains("Analytical Engines"));
      owner.driver.get(switchboard.uri("/workspaces").toString());
      owner.type("workspace-name", "Research");
      owner.visible("workspace-create").click();
      owner.waitForText("workspaces-message", text -> text.contains("Research is created"));
      owner.waitForCells(
          "workspaces-grid", cells -> cells.containsAll(List.of("Default", "Research")));
      owner.screenshots("workspaces");
      owner.driver.get(switchboard.uri("/keys").toString());
      owner.visible("create-key").click();
      owner.type("create-key-name", "lin's team key");
      owner.visible("create-key-workspace").click();
      owner
          .wait
          .until(
              ExpectedConditions.elementToBeClickable(
                  By.xpath("//vaadin-select-item[contains(., 'Research')]")))
          .click();
      owner.visible("create-key-submit").click();
      owner.visible("new-key-done").click();
      owner.waitForCells(
          "keys-grid", cells -> cells.contains("lin's team key") && cells.contains("Research"));

      owner.driver.get(switchboard.uri("/members").toString());
      owner.type("invite-email", "ada@example.test");
      owner.visible("invite-submit").click();
      owner.waitForText("members-message", text -> text.contains("Invitation sent"));
      owner.waitForCells("invitations-grid", cells -> cells.contains("ada@example.test"));
      owner.screenshots("members");
      String invitation = linkIn(awaitMail(before + 2), "invitation");

      // the invitee has no account yet: signs up from the invitation, then comes back to it
      invitee.driver.get(invitation);
      invitee.waitForText(
          "invitation-message", text -> text.contains("to join Analytical Engines"));
      MailedLinks.signUpAndVerify(invitee, switchboard, mail, "Ada", "ada@example.test", PASSWORD);
      invitee.driver.get(invitation); // not signed in: sign-in will lead back here
      invitee.waitForText("invitation-message", text -> text.contains("to join"));
      invitee.driver.get(switchboard.uri("/signin").toString());
      signIn(invitee, "ada@example.test", PASSWORD);
      invitee.visible("invitation-accept").click();
      invitee.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      invitee.waitForText(
          "organization-switcher",
          text -> text.contains("Analytical Engines") && text.contains("member"));
      invitee.waitForText("keys-empty", text -> text.contains("No keys yet"));
      assertThat(invitee.driver.findElement(By.id("main-nav")).getText())
          .contains("Keys", "Members")
          .doesNotContain("Credits");
      invitee.driver.get(switchboard.uri("/workspaces").toString());
      invitee.waitForCells("workspaces-grid", cells -> cells.contains("Research"));
      assertThat(invitee.driver.findElements(By.id("workspace-create")))
          .as("a member cannot create workspaces")
          .isEmpty();
      invitee.driver.get(switchboard.uri("/credits").toString());
      invitee.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      assertThat(invitee.driver.findElements(By.id("credits-balance"))).isEmpty();
      invitee.screenshots("member-keys");

      invitee.driver.get(switchboard.uri("/keys").toString());
      invitee.visible("create-key").click();
      invitee.type("create-key-name", "ada's notebook");
      invitee.visible("create-key-submit").click();
      invitee.visible("new-key-done").click();
      invitee.waitForCells("keys-grid", cells -> cells.contains("ada's notebook"));

      // removing ada, the owner keeps her key working by taking it over
      owner.driver.get(switchboard.uri("/members").toString());
      owner.waitForCells("members-grid", cells -> cells.contains("ada@example.test"));
      owner
          .driver
          .findElement(By.cssSelector("vaadin-button[aria-label='Remove ada@example.test']"))
          .click();
      owner.visible("remove-member-heir").click();
      owner
          .wait
          .until(
              ExpectedConditions.elementToBeClickable(
                  By.xpath("//vaadin-select-item[contains(., 'Give them to lin@example.test')]")))
          .click();
      owner.screenshots("remove-member");
      owner.visible("remove-member-confirm").click();
      owner.waitForText(
          "members-message",
          text -> text.contains("1 of their keys now belong to lin@example.test"));
      assertThat(owner.cells("members-grid")).doesNotContain("ada@example.test");
      owner.driver.get(switchboard.uri("/keys").toString());
      owner.waitForCells(
          "keys-grid", cells -> cells.contains("ada's notebook") && !cells.contains("disabled"));
    }
  }

  @Test
  void theOperatorGrantsCreditsAndDisablesAnOrganizationWhichNobodyElseCanDo() {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    HttpResponse<String> created =
        switchboard.post("/api/v1/keys", tenant.managementKey(), "{\"name\":\"app\"}", Map.of());
    String key = Tenant.parse(created.body()).path("key").asText();
    String orgName = orgName(tenant);
    People people = new People(switchboard);
    people.verified("nosy@example.test");

    try (HeadlessChromium chromium = new HeadlessChromium()) {
      WebDriver browser = chromium.driver;
      browser.get(switchboard.uri("/signin").toString());
      signIn(chromium, "nosy@example.test", People.PASSWORD);
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      assertThat(browser.findElement(By.id("main-nav")).getText()).doesNotContain("Operator");
      browser.get(switchboard.uri("/operator").toString());
      chromium.waitForText("not-found", text -> text.contains("Page not found"));
      assertThat(browser.findElements(By.id("operator-grid"))).isEmpty();
      chromium.visible("sign-out").click();
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/signin"));

      signIn(chromium, OPERATOR, People.PASSWORD);
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      assertThat(browser.findElement(By.id("main-nav")).getText()).contains("Operator");
      browser.get(switchboard.uri("/operator").toString());
      chromium.type("operator-search", orgName.substring(4));
      chromium.waitForCells("operator-grid", cells -> cells.contains(orgName));
      chromium.screenshots("operator");

      browser
          .findElement(
              By.cssSelector("vaadin-button[aria-label='Grant credits to " + orgName + "']"))
          .click();
      chromium.type("grant-amount", "3.25");
      chromium.type("grant-reason", "pilot project");
      chromium.visible("grant-submit").click();
      chromium.waitForText("operator-message", text -> text.contains("$3.25 granted"));
      assertThat(tenant.balance()).isEqualByComparingTo("3.25");

      browser
          .findElement(By.cssSelector("vaadin-button[aria-label='Disable " + orgName + "']"))
          .click();
      chromium.waitForText("operator-message", text -> text.contains("is disabled"));
      HttpResponse<String> refused = switchboard.get("/api/v1/key", key);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("organization is disabled");
      assertThat(switchboard.get("/api/v1/keys", tenant.managementKey()).statusCode())
          .isEqualTo(403);
      browser
          .findElement(By.cssSelector("vaadin-button[aria-label='Enable " + orgName + "']"))
          .click();
      chromium.waitForText("operator-message", text -> text.contains("is enabled"));
      assertThat(switchboard.get("/api/v1/key", key).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theGrantDialogRefusesBadAmountsAndAMissingReasonAndGrantsNothing() {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    String orgName = orgName(tenant);

    try (HeadlessChromium chromium = new HeadlessChromium()) {
      WebDriver browser = chromium.driver;
      browser.get(switchboard.uri("/signin").toString());
      signIn(chromium, OPERATOR, People.PASSWORD);
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      browser.get(switchboard.uri("/operator").toString());
      chromium.type("operator-search", "no organization is called this " + UUID.randomUUID());
      chromium.waitForText(
          "operator-grid", text -> text.contains("No organization's name contains this"));
      chromium.type("operator-search", orgName.substring(4));
      chromium.waitForCells("operator-grid", cells -> cells.contains(orgName));

      browser
          .findElement(
              By.cssSelector("vaadin-button[aria-label='Grant credits to " + orgName + "']"))
          .click();
      chromium.type("grant-reason", "pilot project");
      // each answer differs from the one before, so every wait sees the server's new answer
      List<List<String>> refusals =
          List.of(
              List.of("", "Give an amount in USD above 0"),
              List.of("0.0000000001", "An amount has at most 9 decimals"),
              List.of("0", "Give an amount in USD above 0"),
              List.of("100000.01", "A single grant is at most $100000"),
              List.of("-5", "Give an amount in USD above 0"));
      for (List<String> refused : refusals) {
        chromium.type("grant-amount", refused.get(0));
        chromium.visible("grant-submit").click();
        chromium.waitForText("grant-error", text -> text.equals(refused.get(1)));
        assertThat(tenant.balance()).as("after '" + refused.get(0) + "'").isZero();
      }
      chromium.type("grant-amount", "1.5");
      chromium.type("grant-reason", "   ");
      chromium.visible("grant-submit").click();
      chromium.waitForText(
          "grant-error", text -> text.equals("Say why: the organization sees the reason"));
      assertThat(
              tenant.getJson("/api/v1/credits").path("data").path("total_credits").decimalValue())
          .isZero();

      chromium.type("grant-reason", "pilot project");
      chromium.visible("grant-submit").click();
      chromium.waitForText("operator-message", text -> text.contains("$1.50 granted"));
      assertThat(tenant.balance()).isEqualByComparingTo("1.5");
    }
  }

  @Test
  void anOwnerDeletesATeamOrganizationOnceItsNameIsTyped() {
    People people = new People(switchboard);
    User owner = people.verified("grace-" + UUID.randomUUID() + "@example.test");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.driver.get(switchboard.uri("/signin").toString());
      signIn(chromium, owner.email(), People.PASSWORD);
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      chromium.driver.get(switchboard.uri("/members").toString());
      chromium.type("team-name", "Difference Engines");
      chromium.visible("team-create").click();
      chromium.waitForText("organization-switcher", text -> text.contains("Difference Engines"));
      String team = orgIdNamed("Difference Engines");
      String key = people.keyCreatedBy(owner, team);
      assertThat(switchboard.get("/api/v1/key", key).statusCode()).isEqualTo(200);

      chromium.driver.get(switchboard.uri("/settings").toString());
      chromium.visible("settings-delete").click();
      chromium.type("delete-organization-name", "difference engines");
      chromium.visible("delete-organization-confirm").click();
      chromium.waitForText(
          "delete-organization-refused", text -> text.contains("Type the organization's name"));
      assertThat(switchboard.get("/api/v1/key", key).statusCode()).isEqualTo(200);
      chromium.screenshots("settings-delete");

      chromium.type("delete-organization-name", "Difference Engines");
      chromium.visible("delete-organization-confirm").click();
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      chromium.waitForText(
          "organization-switcher", text -> !text.isBlank() && !text.contains("Difference Engines"));
      assertThat(switchboard.get("/api/v1/key", key).statusCode()).isEqualTo(401);
    }
  }

  private static String orgIdNamed(String name) {
    try (var c = switchboard.database();
        var query =
            c.prepareStatement(
                "SELECT id FROM organizations WHERE name = ? AND deleted_at IS NULL")) {
      query.setString(1, name);
      try (var rows = query.executeQuery()) {
        assertThat(rows.next()).as("an organization named %s", name).isTrue();
        return rows.getString(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String orgName(Tenant tenant) {
    return switchboard.queryString(
        "SELECT name FROM organizations WHERE id = ?::uuid", tenant.id());
  }

  @Test
  void theSessionCookieIsHiddenFromScriptsAndNotSentCrossSite() {
    HttpResponse<String> page = switchboard.get("/signin", null);

    assertThat(page.headers().allValues("set-cookie"))
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith("JSESSIONID=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Lax"));
  }

  private static void signIn(HeadlessChromium chromium, String email, String password) {
    chromium.type("signin-email", email);
    chromium.type("signin-password", password);
    chromium.visible("signin-submit").click();
  }

  /** Waits (GreenMail's own wait, no sleep) until {@code count} messages arrived; the last one. */
  private static MimeMessage awaitMail(int count) {
    return MailedLinks.awaitMail(mail, count);
  }

  private static String linkIn(MimeMessage message, String page) throws Exception {
    return MailedLinks.linkIn(message, page);
  }
}
