package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.domain.accounts.User;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Provider keys page in Chromium: an admin of a team adds the team's own key for a provider,
 * tests it with one cheap request, rotates it and deletes it, and the secret never reaches the page
 * again (only its last four characters); base URLs the address rules refuse are refused in the
 * dialog with the rule's message and store nothing. A plain member neither sees the page in the
 * navigation nor can open it.
 */
@ExtendWith(SwitchboardExtension.class)
class ProviderKeysBrowserIT {

  private static final String PROVIDER = "sim-openai";
  private static final String PROVIDER_LABEL = "Simulated OpenAI (sim-openai)";

  @Test
  void anAdminAddsRotatesAndDeletesAKeyWhoseSecretIsNeverShownAgain(
      RunningSwitchboard switchboard) {
    Team team = Team.withMember(switchboard, "admin");
    String first = "sk-byok-page-" + UUID.randomUUID() + "-1a2b";
    String second = "sk-byok-page-" + UUID.randomUUID() + "-3c4d";
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signInTo(chromium, switchboard, team);
      chromium.waitForText("main-nav", nav -> nav.contains("Provider keys"));
      chromium.driver.get(switchboard.uri("/provider-keys").toString());
      chromium.waitForText("provider-keys-empty", text -> text.startsWith("No provider keys yet"));

      // refused base URLs: the guard's message in the dialog, nothing stored
      chromium.visible("provider-key-add").click();
      choose(chromium, "provider-key-provider", PROVIDER_LABEL);
      chromium.type("provider-key-secret", first);
      chromium.type("provider-key-base-url", "http://api.example.com");
      chromium.visible("provider-key-save").click();
      chromium.waitForText("provider-key-error", text -> text.equals("'base_url' must use https"));
      chromium.type("provider-key-base-url", "https://127.0.0.1/");
      chromium.visible("provider-key-save").click();
      chromium.waitForText(
          "provider-key-error",
          text -> text.startsWith("'base_url' host 127.0.0.1 is") && text.contains("public"));
      assertThat(keysOf(team)).as("nothing stored after a refused base URL").isEmpty();
      assertThat(rowsOf(switchboard, team)).isZero();
      chromium.visible("provider-key-cancel").click();
      awaitDialogClosed(chromium);

      // added: the grid shows the last four characters, never the secret
      chromium.visible("provider-key-add").click();
      choose(chromium, "provider-key-provider", PROVIDER_LABEL);
      chromium.type("provider-key-secret", first);
      chromium.visible("provider-key-always-use").findElement(By.cssSelector("input")).click();
      chromium.visible("provider-key-save").click();
      chromium.waitForCells("provider-keys-grid", cells -> cells.contains("…1a2b"));
      chromium.waitForText("provider-keys-message", text -> text.contains("ends in 1a2b"));
      JsonNode added = onlyKeyOf(team);
      assertThat(added.path("provider").asText()).isEqualTo(PROVIDER);
      assertThat(added.path("last4").asText()).isEqualTo("1a2b");
      assertThat(added.path("always_use").asBoolean(false)).as("always use").isTrue();
      assertThat(added.path("base_url").isNull()).as("provider default").isTrue();
      String addedOn = added.path("created_at").asText().substring(0, 10);
      assertThat(chromium.cells("provider-keys-grid"))
          .contains(PROVIDER_LABEL, "provider default", "…1a2b", "yes", addedOn);
      awaitDialogClosed(chromium);
      assertThat(chromium.driver.getPageSource()).doesNotContain(first);

      // tested with one cheap request through the key (the provider's default URL: the simulator)
      chromium.visible("provider-key-test-" + PROVIDER).click();
      chromium.waitForText(
          "provider-keys-message",
          text ->
              text.startsWith("The key for " + PROVIDER_LABEL + " works: ")
                  && text.endsWith(" ms."));
      assertThat(chromium.driver.getPageSource()).doesNotContain(first);

      // rotated: a refused base URL keeps the old key; then the new secret and base URL
      chromium.visible("provider-key-rotate-" + PROVIDER).click();
      chromium.type("provider-key-secret", second);
      chromium.type("provider-key-base-url", "https://127.0.0.1/");
      chromium.visible("provider-key-save").click();
      chromium.waitForText(
          "provider-key-error", text -> text.startsWith("'base_url' host 127.0.0.1 is"));
      assertThat(onlyKeyOf(team).path("last4").asText())
          .as("the old key is kept")
          .isEqualTo("1a2b");
      chromium.type("provider-key-base-url", "https://8.8.8.8/v1");
      chromium.visible("provider-key-always-use").findElement(By.cssSelector("input")).click();
      chromium.visible("provider-key-save").click();
      chromium.waitForCells(
          "provider-keys-grid", cells -> cells.contains("…3c4d") && !cells.contains("…1a2b"));
      JsonNode rotated = onlyKeyOf(team);
      assertThat(rotated.path("last4").asText()).isEqualTo("3c4d");
      assertThat(rotated.path("base_url").asText()).isEqualTo("https://8.8.8.8/v1");
      assertThat(rotated.path("always_use").asBoolean(true)).isFalse();
      assertThat(rotated.path("created_at").asText()).isEqualTo(added.path("created_at").asText());
      assertThat(chromium.cells("provider-keys-grid")).contains("https://8.8.8.8/v1", "no");
      awaitDialogClosed(chromium);
      assertThat(chromium.driver.getPageSource()).doesNotContain(first).doesNotContain(second);

      // deleted, after a confirmation
      chromium.visible("provider-key-delete-" + PROVIDER).click();
      chromium.visible("delete-provider-key-confirm").click();
      chromium.waitForText("provider-keys-empty", text -> text.startsWith("No provider keys yet"));
      assertThat(keysOf(team)).isEmpty();
      assertThat(rowsOf(switchboard, team)).isZero();
    }
    assertThat(switchboard.logText()).doesNotContain(first).doesNotContain(second);
  }

  @Test
  void aMemberNeitherSeesNorOpensTheProviderKeysPage(RunningSwitchboard switchboard) {
    Team team = Team.withMember(switchboard, "member");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signInTo(chromium, switchboard, team);
      assertThat(chromium.waitForText("main-nav", nav -> nav.contains("Members")))
          .doesNotContain("Provider keys");

      chromium.driver.get(switchboard.uri("/provider-keys").toString());
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      chromium.wait.until((WebDriver d) -> chromium.vaadinIsIdle());
      assertThat(chromium.driver.findElements(By.id("provider-keys-grid"))).isEmpty();
      assertThat(chromium.driver.findElements(By.id("provider-key-add"))).isEmpty();
    }
  }

  /** A team organization (made through the operator API) and a person who joined it in a role. */
  private record Team(Tenant tenant, String name, User person) {

    static Team withMember(RunningSwitchboard switchboard, String role) {
      Tenant tenant = Tenant.withCredits(switchboard, "0");
      People people = new People(switchboard);
      User person = people.verified("byok-page-" + UUID.randomUUID() + "@example.test");
      HttpResponse<String> invited =
          switchboard.post(
              "/api/v1/organization/invitations",
              tenant.managementKey(),
              "{\"email\":\"" + person.email() + "\",\"role\":\"" + role + "\"}",
              Map.of());
      assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
      people.acceptInvitation(person);
      String name =
          switchboard.queryString("SELECT name FROM organizations WHERE id = ?::uuid", tenant.id());
      return new Team(tenant, name, person);
    }
  }

  private static void signInTo(
      HeadlessChromium chromium, RunningSwitchboard switchboard, Team team) {
    chromium.signIn(switchboard, team.person().email(), People.PASSWORD);
    chromium.selectOrganization(team.name());
  }

  /** Picks an item of a Vaadin select by its label. */
  private static void choose(HeadlessChromium chromium, String selectId, String label) {
    chromium.visible(selectId).click();
    chromium
        .wait
        .until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-select-item[normalize-space(.) = '" + label + "']")))
        .click();
    chromium.waitForText(selectId, text -> text.contains(label));
  }

  /** Waits until the key dialog, with the secret's field, has left the page. */
  private static void awaitDialogClosed(HeadlessChromium chromium) {
    chromium
        .wait
        .withMessage("the provider key dialog closes")
        .until((WebDriver d) -> d.findElements(By.id("provider-key-secret")).isEmpty());
  }

  /** The team's provider keys as {@code GET /byok} answers its management key. */
  private static JsonNode keysOf(Team team) {
    HttpResponse<String> list =
        team.tenant().switchboard().get("/api/v1/byok", team.tenant().managementKey());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    return Tenant.parse(list.body()).path("data");
  }

  private static JsonNode onlyKeyOf(Team team) {
    JsonNode keys = keysOf(team);
    assertThat(keys).hasSize(1);
    return keys.get(0);
  }

  private static long rowsOf(RunningSwitchboard switchboard, Team team) {
    return switchboard.queryLong(
        "SELECT count(*) FROM provider_keys WHERE org_id = ?::uuid", team.tenant().id());
  }
}
