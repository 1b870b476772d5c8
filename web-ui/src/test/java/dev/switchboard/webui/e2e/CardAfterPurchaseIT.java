package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.payments.DisputeEvent;
import dev.switchboard.payments.stripe.FakeStripe;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * What follows a card purchase, against the built jar and the fake Stripe, the purchase made in the
 * browser as a member makes it: a dispute Stripe reports freezes the organization's spending at
 * once (its keys get 402, saying why, though credits are left) until it is won; auto top-up, set on
 * the Credits page with the card a purchase saved, fires once when concurrent requests take the
 * balance below its threshold; a refund from the purchase history gives the unused credits back to
 * the card. Auto top-up set in the browser reads the same over REST, where a management key (acting
 * as admin) and malformed bodies change nothing, and an admin or a member sees no control that
 * buys, refunds or sets it. The books agree after each.
 */
class CardAfterPurchaseIT {

  private static final String CHAT =
      "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"max_tokens\":16}";

  private static FakeStripe stripe;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() {
    stripe = FakeStripe.start(Clock.systemUTC());
    switchboard =
        RunningSwitchboard.start(
            Map.of(
                "STRIPE_SECRET_KEY", FakeStripe.SECRET_KEY,
                "STRIPE_WEBHOOK_SECRET", FakeStripe.WEBHOOK_SECRET,
                "SWITCHBOARD_STRIPE_API_BASE", stripe.apiBase()));
  }

  @AfterAll
  static void stop() {
    if (switchboard != null) {
      switchboard.close();
    }
    if (stripe != null) {
      stripe.close();
    }
  }

  @Test
  void aDisputeFreezesTheOrganizationsKeysUntilItIsWon() {
    User owner = new People(switchboard).verified("disputed-" + UUID.randomUUID() + "@example.com");
    URI webhook = switchboard.uri("/api/v1/webhooks/stripe");
    String key;
    String paymentIntent;
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, owner.email(), People.PASSWORD);
      chromium.visible("create-key").click();
      chromium.type("create-key-name", "disputed");
      chromium.visible("create-key-submit").click();
      key =
          chromium
              .visible("new-key-value")
              .findElement(By.cssSelector("input"))
              .getAttribute("value");
      chromium.visible("new-key-done").click();

      CardCheckouts checkouts = new CardCheckouts(switchboard, stripe);
      String sessionId = checkouts.openInBrowser(chromium, "20", "$21.10");
      checkouts.payAndNotify(sessionId);
      paymentIntent = stripe.paymentIntentOf(sessionId);
    }
    assertThat(chat(key).statusCode()).isEqualTo(200);

    assertThat(
            stripe
                .deliver(
                    webhook,
                    stripe.dispute(DisputeEvent.OPENED, paymentIntent, 2110, "needs_response"))
                .statusCode())
        .isEqualTo(200);
    JsonNode frozen = assertError(chat(key), 402, "a request while a payment is disputed");
    assertThat(frozen.path("message").asText()).contains("frozen").contains("disputed");
    assertThat(frozen.path("metadata").path("budget").asText()).isEqualTo("frozen");

    assertThat(
            stripe
                .deliver(webhook, stripe.dispute(DisputeEvent.CLOSED, paymentIntent, 2110, "won"))
                .statusCode())
        .isEqualTo(200);
    assertThat(chat(key).statusCode()).isEqualTo(200);
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM stripe_disputes WHERE org_id = ?::uuid AND state = 'won'",
                owner.personalOrgId().toString()))
        .isEqualTo(1);

    // purchase, usage, dispute and its release: the books agree, to the nano-dollar
    HttpResponse<String> reconciliation =
        switchboard.get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN);
    assertThat(reconciliation.statusCode()).as(reconciliation.body()).isEqualTo(200);
    JsonNode report = Tenant.parse(reconciliation.body()).path("data");
    assertThat(report.path("clean").asBoolean()).as(reconciliation.body()).isTrue();
    assertThat(report.path("organizations").asInt()).isPositive();
    assertError(
        switchboard.get("/api/v1/operator/reconciliation", "not-the-operator"),
        401,
        "the reconciliation without the operator's token");
  }

  @Test
  void autoTopUpFiresOnceWhenFiftyConcurrentRequestsCrossTheThresholdAndARefundGivesCreditsBack()
      throws Exception {
    User owner = new People(switchboard).verified("topup-" + UUID.randomUUID() + "@example.com");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, owner.email(), People.PASSWORD);
      chromium.visible("create-key").click();
      chromium.type("create-key-name", "busy");
      chromium.visible("create-key-submit").click();
      String key =
          chromium
              .visible("new-key-value")
              .findElement(By.cssSelector("input"))
              .getAttribute("value");
      chromium.visible("new-key-done").click();

      chromium.driver.get(switchboard.uri("/credits").toString());
      assertThat(chromium.waitForText("auto-top-up-status", text -> !text.isBlank()))
          .contains("saved card");
      CardCheckouts checkouts = new CardCheckouts(switchboard, stripe);
      checkouts.payAndNotify(checkouts.openInBrowserSavingTheCard(chromium, "20", "$21.10"));

      // a threshold just under the balance: the first requests take it below
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.visible("auto-top-up-enabled").click();
      chromium.type("auto-top-up-threshold", "19.9999");
      chromium.type("auto-top-up-amount", "10");
      chromium.visible("auto-top-up-save").click();
      assertThat(chromium.waitForText("auto-top-up-status", text -> text.startsWith("On")))
          .contains("$10.00");

      List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        requests.add(CompletableFuture.supplyAsync(() -> chat(key)));
      }
      for (CompletableFuture<HttpResponse<String>> request : requests) {
        assertThat(request.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      String org = owner.personalOrgId().toString();
      awaitCount(
          "SELECT count(*) FROM auto_top_ups WHERE org_id = ?::uuid AND state = 'succeeded'",
          org,
          1);
      assertThat(
              switchboard.queryLong(
                  "SELECT count(*) FROM auto_top_ups WHERE org_id = ?::uuid", org))
          .isEqualTo(1);
      assertThat(stripe.savedCardCharges()).isEqualTo(1);

      // auto top-up off, then the first purchase refunded from the purchase history
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.visible("auto-top-up-enabled").click();
      chromium.visible("auto-top-up-save").click();
      chromium.waitForText("auto-top-up-status", text -> text.startsWith("Off"));
      String checkout =
          switchboard.queryString(
              "SELECT id FROM stripe_checkouts WHERE org_id = ?::uuid AND saves_card", org);
      chromium.visible("refund-" + checkout).click();
      chromium.visible("refund-confirm").click();
      assertThat(chromium.waitForText("refunded-" + checkout, text -> !text.isBlank()))
          .isEqualTo("Refunded $20.00");
      assertThat(stripe.refundCount()).isEqualTo(1);
    }
    assertBooksAgree();

    // over REST, a management key acts as admin, which may not refund; a foreign id is not found
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    Map<String, Long> before = switchboard.tableRowCounts();
    assertThat(
            assertError(
                    switchboard.post(
                        "/api/v1/credits/checkouts/" + UUID.randomUUID() + "/refund",
                        tenant.managementKey(),
                        "",
                        Map.of()),
                    403,
                    "a management key refunding")
                .path("message")
                .asText())
        .isEqualTo("Your role (admin) does not allow refunds");
    assertError(
        switchboard.get(
            "/api/v1/credits/checkouts/" + UUID.randomUUID() + "/refunds", tenant.managementKey()),
        404,
        "another organization's or an unknown checkout's refunds");
    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
    assertThat(stripe.refundCount()).isEqualTo(1);
  }

  @Test
  void autoTopUpSetInTheBrowserReadsAlikeOverRestWhereAManagementKeyAndBadBodiesChangeNothing() {
    Tenant team = Tenant.withCredits(switchboard, "0");
    String teamName =
        switchboard.queryString("SELECT name FROM organizations WHERE id = ?::uuid", team.id());
    People people = new People(switchboard);
    User billing = joined(people, team, "billing");
    User admin = joined(people, team, "admin");
    User member = joined(people, team, "member");
    String key = team.managementKey();

    JsonNode unset = settings(key);
    assertThat(unset.path("enabled").asBoolean()).isFalse();
    assertThat(unset.path("card_saved").asBoolean()).isFalse();

    // the billing member saves a card with a purchase and sets auto top-up on the Credits page
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, billing.email(), People.PASSWORD);
      chromium.selectOrganization(teamName);
      CardCheckouts checkouts = new CardCheckouts(switchboard, stripe);
      checkouts.payAndNotify(checkouts.openInBrowserSavingTheCard(chromium, "20", "$21.10"));
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.visible("auto-top-up-enabled").click();
      chromium.type("auto-top-up-threshold", "5");
      chromium.type("auto-top-up-amount", "15");
      chromium.visible("auto-top-up-save").click();
      assertThat(chromium.waitForText("auto-top-up-status", text -> text.startsWith("On")))
          .contains("$5.00")
          .contains("$15.00");
    }

    // REST reads what the page set
    JsonNode set = settings(key);
    assertThat(set.path("enabled").asBoolean()).as(set.toString()).isTrue();
    assertThat(set.path("threshold").decimalValue()).isEqualByComparingTo("5.00");
    assertThat(set.path("amount").decimalValue()).isEqualByComparingTo("15.00");
    assertThat(set.path("card_saved").asBoolean()).isTrue();
    assertThat(set.path("consecutive_declines").asInt()).isZero();
    assertThat(set.path("last_failure").isNull()).as(set.toString()).isTrue();
    List<String> fields = new ArrayList<>();
    set.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "enabled", "threshold", "amount", "card_saved", "consecutive_declines", "last_failure");

    // a management key acts as admin, which may not set it; bad bodies are refused first
    String row =
        switchboard.queryString(
            "SELECT t::text FROM auto_top_up_settings t WHERE org_id = ?::uuid", team.id());
    Map<String, Long> before = switchboard.tableRowCounts();
    String path = "/api/v1/credits/auto-top-up";
    for (String body :
        List.of(
            "{\"enabled\":false,\"threshold\":\"5.00\",\"amount\":\"15.00\"}",
            "{\"enabled\":true,\"threshold\":1.00,\"amount\":50.00}")) {
      assertThat(assertError(switchboard.put(path, key, body), 403, body).path("message").asText())
          .isEqualTo("Your role (admin) does not allow setting auto top-up");
    }
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(
        "an unknown field",
        "{\"enabled\":false,\"threshold\":1,\"amount\":20,\"card_saved\":true}");
    bad.put("no enabled", "{\"threshold\":1,\"amount\":20}");
    bad.put("no threshold", "{\"enabled\":false,\"amount\":20}");
    bad.put("no amount", "{\"enabled\":false,\"threshold\":1}");
    bad.put("enabled as a string", "{\"enabled\":\"false\",\"threshold\":1,\"amount\":20}");
    bad.put("threshold as a boolean", "{\"enabled\":false,\"threshold\":true,\"amount\":20}");
    bad.put("amount not a number", "{\"enabled\":false,\"threshold\":1,\"amount\":\"twenty\"}");
    bad.put("a negative threshold", "{\"enabled\":false,\"threshold\":-1,\"amount\":20}");
    bad.put(
        "a threshold finer than a nano-dollar",
        "{\"enabled\":false,\"threshold\":1e-10,\"amount\":20}");
    bad.put(
        "an amount below the minimum purchase",
        "{\"enabled\":false,\"threshold\":1,\"amount\":\"1.00\"}");
    bad.put(
        "an amount above the maximum purchase",
        "{\"enabled\":false,\"threshold\":1,\"amount\":\"10000.01\"}");
    bad.put(
        "an amount in parts of a cent",
        "{\"enabled\":false,\"threshold\":1,\"amount\":\"20.001\"}");
    bad.put("a zero amount", "{\"enabled\":false,\"threshold\":1,\"amount\":0}");
    bad.put("an array", "[{\"enabled\":false,\"threshold\":1,\"amount\":20}]");
    bad.put("null", "null");
    bad.put("an empty body", "");
    bad.forEach((what, body) -> assertError(switchboard.put(path, key, body), 400, what));
    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
    assertThat(
            switchboard.queryString(
                "SELECT t::text FROM auto_top_up_settings t WHERE org_id = ?::uuid", team.id()))
        .as("the settings row after the refused changes")
        .isEqualTo(row);
    assertThat(settings(key)).isEqualTo(set);

    // an admin sees the Credits page without anything that buys, refunds or sets auto top-up
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, admin.email(), People.PASSWORD);
      chromium.selectOrganization(teamName);
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.waitForCells("purchases-grid", cells -> cells.contains("Credited"));
      assertThat(chromium.visible("auto-top-up-not-available").getText())
          .contains("Owners and billing members");
      assertThat(chromium.visible("buy-not-allowed").getText())
          .contains("Owners and billing members");
      for (String control :
          List.of(
              "auto-top-up-enabled",
              "auto-top-up-threshold",
              "auto-top-up-amount",
              "auto-top-up-save",
              "buy-amount",
              "buy-submit")) {
        assertThat(chromium.driver.findElements(By.id(control))).as(control).isEmpty();
      }
      assertThat(chromium.driver.findElements(By.cssSelector("[id^='refund-']")))
          .as("refund buttons")
          .isEmpty();
    }

    // a member may not even see the credits: the page sends them to the Keys page
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, member.email(), People.PASSWORD);
      chromium.selectOrganization(teamName);
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.wait.until(d -> d.getCurrentUrl().endsWith("/keys"));
      chromium.wait.until(d -> chromium.vaadinIsIdle());
      for (String control :
          List.of("auto-top-up-enabled", "auto-top-up-save", "buy-submit", "buy-amount")) {
        assertThat(chromium.driver.findElements(By.id(control))).as(control).isEmpty();
      }
      assertThat(chromium.driver.findElements(By.cssSelector("[id^='refund-']"))).isEmpty();
      assertThat(chromium.driver.findElement(By.id("main-nav")).getText())
          .doesNotContain("Credits");
    }
    assertThat(settings(key)).as("nothing the admin or the member saw changed it").isEqualTo(set);
    assertBooksAgree();
  }

  /** The organization's auto top-up, read with its management key. */
  private static JsonNode settings(String managementKey) {
    HttpResponse<String> read = switchboard.get("/api/v1/credits/auto-top-up", managementKey);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    return Tenant.parse(read.body()).path("data");
  }

  /** A new person who accepted the invitation, printed to the console, to the team in a role. */
  private static User joined(People people, Tenant team, String role) {
    User person = people.verified(role + "-" + UUID.randomUUID() + "@example.com");
    HttpResponse<String> invited =
        switchboard.post(
            "/api/v1/organization/invitations",
            team.managementKey(),
            "{\"email\":\"" + person.email() + "\",\"role\":\"" + role + "\"}",
            Map.of());
    assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
    people.acceptInvitation(person);
    return person;
  }

  /** Polls the database, with a deadline, for what the platform's own upkeep thread does. */
  private static void awaitCount(String sql, String parameter, long expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (switchboard.queryLong(sql, parameter) != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(sql + " did not reach " + expected + " within 30 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static void assertBooksAgree() {
    HttpResponse<String> reconciliation =
        switchboard.get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN);
    assertThat(reconciliation.statusCode()).as(reconciliation.body()).isEqualTo(200);
    assertThat(Tenant.parse(reconciliation.body()).path("data").path("clean").asBoolean())
        .as(reconciliation.body())
        .isTrue();
  }

  private static HttpResponse<String> chat(String key) {
    return switchboard.post("/api/v1/chat/completions", key, CHAT, Map.of());
  }
}
