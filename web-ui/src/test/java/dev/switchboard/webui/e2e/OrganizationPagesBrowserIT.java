package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The Settings and Workspaces pages of a team organization in Chromium, by role: an admin renames
 * the organization and creates workspaces, a member sees neither form; names that are too long or
 * hold markup are refused with a message and stored nowhere, even when the browser's own length
 * limit is bypassed.
 */
@ExtendWith(SwitchboardExtension.class)
class OrganizationPagesBrowserIT {

  private static final String TOO_LONG = "n".repeat(10_000);
  private static final String MARKUP = "<img src=x onerror=alert(1)>";

  @Test
  void anAdminRenamesTheTeamButNotToAnOverlongOrHtmlName(RunningSwitchboard switchboard) {
    Team team = Team.withMember(switchboard, "admin");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signInTo(chromium, switchboard, team);
      chromium.driver.get(switchboard.uri("/settings").toString());
      assertThat(chromium.visible("settings-name").getAttribute("value")).isEqualTo(team.name());

      setBeyondTheBrowsersLimit(chromium, "settings-name", TOO_LONG);
      chromium.visible("settings-rename").click();
      chromium.waitForText("settings-message", text -> text.contains("of 1 to 100 characters"));
      assertThat(nameOf(switchboard, team.id())).isEqualTo(team.name());

      setBeyondTheBrowsersLimit(chromium, "settings-name", MARKUP);
      chromium.visible("settings-rename").click();
      chromium.waitForText("settings-message", text -> text.contains("cannot contain < or >"));
      assertThat(nameOf(switchboard, team.id())).isEqualTo(team.name());
      assertThat(chromium.driver.findElements(By.cssSelector("img[src=x]")))
          .as("the name is never markup on the page")
          .isEmpty();

      chromium.type("settings-name", "Difference Engines");
      chromium.visible("settings-rename").click();
      chromium.waitForText(
          "settings-message",
          text -> text.equals("The organization is now called Difference Engines."));
      assertThat(nameOf(switchboard, team.id())).isEqualTo("Difference Engines");
      // the header's switcher reads the new name on the next navigation
      chromium.driver.get(switchboard.uri("/keys").toString());
      chromium.waitForText("organization-switcher", text -> text.contains("Difference Engines"));
    }
  }

  @Test
  void aNewTeamHasOnlyItsDefaultWorkspaceAndRefusesOverlongOrHtmlNames(
      RunningSwitchboard switchboard) {
    Team team = Team.withMember(switchboard, "admin");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signInTo(chromium, switchboard, team);
      chromium.driver.get(switchboard.uri("/workspaces").toString());
      chromium.waitForCells("workspaces-grid", cells -> cells.contains("Default"));
      assertThat(workspacesOf(switchboard, team.id())).as("only the default one").isEqualTo(1);

      setBeyondTheBrowsersLimit(chromium, "workspace-name", TOO_LONG);
      chromium.visible("workspace-create").click();
      chromium.waitForText(
          "workspaces-message", text -> text.contains("the workspace a name of 1 to 100"));
      setBeyondTheBrowsersLimit(chromium, "workspace-name", MARKUP);
      chromium.visible("workspace-create").click();
      chromium.waitForText("workspaces-message", text -> text.contains("cannot contain < or >"));
      assertThat(workspacesOf(switchboard, team.id())).isEqualTo(1);
      assertThat(chromium.driver.findElements(By.cssSelector("img[src=x]"))).isEmpty();

      chromium.type("workspace-name", "Research");
      chromium.visible("workspace-create").click();
      chromium.waitForText("workspaces-message", text -> text.contains("Research is created"));
      chromium.waitForCells("workspaces-grid", cells -> cells.contains("Research"));
      assertThat(workspacesOf(switchboard, team.id())).isEqualTo(2);
    }
  }

  @Test
  void aMemberSeesNoSettingsAndCannotCreateWorkspaces(RunningSwitchboard switchboard) {
    Team team = Team.withMember(switchboard, "member");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signInTo(chromium, switchboard, team);
      assertThat(chromium.driver.findElement(By.id("main-nav")).getText())
          .contains("Keys", "Workspaces", "Members")
          .doesNotContain("Settings");

      chromium.driver.get(switchboard.uri("/settings").toString());
      chromium.wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
      assertThat(chromium.driver.findElements(By.id("settings-name"))).isEmpty();

      chromium.driver.get(switchboard.uri("/workspaces").toString());
      chromium.waitForCells("workspaces-grid", cells -> cells.contains("Default"));
      assertThat(chromium.driver.findElements(By.id("workspace-name"))).isEmpty();
      assertThat(chromium.driver.findElements(By.id("workspace-create"))).isEmpty();
    }
    assertThat(nameOf(switchboard, team.id())).isEqualTo(team.name());
    assertThat(workspacesOf(switchboard, team.id())).isEqualTo(1);
  }

  /** A team organization (made through the operator API) and a person who joined it in a role. */
  private record Team(String id, String name, User person) {

    static Team withMember(RunningSwitchboard switchboard, String role) {
      Tenant tenant = Tenant.withCredits(switchboard, "0");
      People people = new People(switchboard);
      User person = people.verified("pages-" + UUID.randomUUID() + "@example.test");
      HttpResponse<String> invited =
          switchboard.post(
              "/api/v1/organization/invitations",
              tenant.managementKey(),
              "{\"email\":\"" + person.email() + "\",\"role\":\"" + role + "\"}",
              Map.of());
      assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
      people.acceptInvitation(person);
      return new Team(tenant.id(), nameOf(switchboard, tenant.id()), person);
    }
  }

  /** Signs the team's person in and selects the team in the header's switcher. */
  private static void signInTo(
      HeadlessChromium chromium, RunningSwitchboard switchboard, Team team) {
    chromium.signIn(switchboard, team.person().email(), People.PASSWORD);
    chromium.visible("organization-switcher").click();
    chromium
        .wait
        .until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-select-item[contains(., '" + team.name() + "')]")))
        .click();
    chromium.waitForText("organization-switcher", text -> text.contains(team.name()));
    chromium.wait.until((WebDriver d) -> chromium.vaadinIsIdle());
  }

  /**
   * Gives a field a value as a client may send it, past the browser's {@code maxlength}: the server
   * must refuse it on its own.
   */
  private static void setBeyondTheBrowsersLimit(
      HeadlessChromium chromium, String fieldId, String value) {
    chromium.driver.executeScript(
        "const field = document.getElementById(arguments[0]);"
            + " field.value = arguments[1];"
            + " field.dispatchEvent(new CustomEvent('change', {bubbles: true}));",
        fieldId,
        value);
    chromium.wait.until((WebDriver d) -> chromium.vaadinIsIdle());
  }

  private static String nameOf(RunningSwitchboard switchboard, String org) {
    return switchboard.queryString("SELECT name FROM organizations WHERE id = ?::uuid", org);
  }

  private static long workspacesOf(RunningSwitchboard switchboard, String org) {
    return switchboard.queryLong("SELECT count(*) FROM workspaces WHERE org_id = ?::uuid", org);
  }
}
