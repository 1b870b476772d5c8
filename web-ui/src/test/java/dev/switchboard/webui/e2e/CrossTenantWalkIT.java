package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.payments.UsdcChain;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Tenants never see each other: every REST endpoint and every dashboard route the application
 * declares (read off its own classes, so a new one without a case here fails the build) is called
 * by one organization with another organization's ids, and answers 404, an empty list or only the
 * caller's own data; so does the dashboard's invoice download (a Vaadin request handler, which that
 * reading of the classes does not see); afterwards the other organization's rows are exactly as
 * they were.
 */
@ExtendWith(SwitchboardExtension.class)
class CrossTenantWalkIT {

  private static final String MODEL = "openai/gpt-4o-mini";

  /** The victim has a provider key for both; the attacker sets one for the first. */
  private static final String BYOK_PROVIDER = "sim-openai";

  private static final String VICTIM_ONLY_BYOK_PROVIDER = "sim-anthropic";

  /** The role the platform's embedded database gives the application. */
  private static final String APP_ROLE = "switchboard_app";

  private static final String CHAT =
      "{\"model\":\""
          + MODEL
          + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Name a river.\"}]}";

  /** What the victim organization owns, to look for in every answer the attacker gets. */
  private record Victim(
      Tenant tenant,
      String keyHash,
      String keyPlaintext,
      String keyName,
      String generationId,
      String workspaceId,
      String workspaceName,
      User member,
      String invitedEmail,
      String checkoutId,
      String invoiceId,
      String invoiceNumber,
      String usdcPurchaseId,
      String depositAddress,
      String autoTopUpFailure,
      String providerKeySecret) {

    List<String> secrets() {
      return List.of(
          tenant.id(),
          keyHash,
          keyPlaintext,
          keyName,
          generationId,
          workspaceId,
          workspaceName,
          member.id().value().toString(),
          member.email(),
          invitedEmail,
          checkoutId,
          invoiceId,
          invoiceNumber,
          usdcPurchaseId,
          depositAddress,
          UsdcChain.checksumAddress(depositAddress),
          autoTopUpFailure,
          providerKeySecret);
    }
  }

  /** The attacker: an organization with a management key and an inference key of its own. */
  private record Attacker(Tenant tenant, String inferenceKey) {}

  @Test
  void everyEndpointAndRouteKeepsOrganizationsApart(RunningSwitchboard switchboard) {
    People people = new People(switchboard);
    Victim victim = victim(switchboard, people);
    Attacker attacker = attacker(switchboard);
    awaitNoSpendLease(switchboard, victim); // its own request's lease goes back after 2 s idle
    Map<String, Object> victimBefore = victimState(switchboard, victim);

    Map<String, Consumer<Call>> rest = restCases(victim, attacker);
    assertThat(rest.keySet())
        .as("every REST endpoint of the application has a cross-tenant case, and no case is stale")
        .containsExactlyInAnyOrderElementsOf(ApplicationSurface.httpEndpoints());
    rest.forEach((endpoint, check) -> check.accept(new Call(switchboard, endpoint, victim)));

    Map<String, String> routes = dashboardCases(victim);
    assertThat(routes.keySet())
        .as("every dashboard route has a cross-tenant case, and no case is stale")
        .containsExactlyInAnyOrderElementsOf(ApplicationSurface.dashboardRoutes());
    User mallory = people.verified("mallory-" + UUID.randomUUID() + "@example.com");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.driver.get(switchboard.uri("/signin").toString());
      chromium.type("signin-email", mallory.email());
      chromium.type("signin-password", People.PASSWORD);
      chromium.visible("signin-submit").click();
      chromium.wait.until(d -> d.getCurrentUrl().endsWith("/keys"));
      routes.forEach(
          (route, url) -> {
            chromium.driver.get(switchboard.uri(url).toString());
            chromium
                .wait
                .withMessage("dashboard route '" + route + "' (" + url + ") renders")
                .until(
                    d ->
                        chromium.vaadinIsIdle()
                            && !d.findElement(By.tagName("body")).getText().isBlank());
            String page = chromium.driver.findElement(By.tagName("body")).getText();
            for (String secret : victim.secrets()) {
              assertThat(page).as("dashboard route '%s' (%s)", route, url).doesNotContain(secret);
            }
          });
      // beside the routes, the dashboard serves invoice PDFs: another organization's is not found
      String cookies =
          chromium.driver.manage().getCookies().stream()
              .map(cookie -> cookie.getName() + "=" + cookie.getValue())
              .collect(Collectors.joining("; "));
      HttpResponse<String> invoice =
          switchboard.send(
              HttpRequest.newBuilder(
                      switchboard.uri("/credits/invoices/" + victim.invoiceId() + ".pdf"))
                  .header("Cookie", cookies)
                  .GET()
                  .build());
      assertThat(invoice.statusCode()).as("another organization's invoice PDF").isEqualTo(404);
      assertThat(invoice.body())
          .as("answered by the download, not a page")
          .isEqualTo("No such invoice");
      for (String secret : victim.secrets()) {
        assertThat(invoice.body()).as("another organization's invoice PDF").doesNotContain(secret);
      }
    }

    assertThat(victimState(switchboard, victim))
        .as("the victim's rows after the walk")
        .isEqualTo(victimBefore);
  }

  /**
   * The walk above runs with row-level security on: the platform reaches its database only as a
   * role that owns nothing and cannot bypass it, for which another tenant's rows, or every tenant's
   * without a tenant set, do not exist.
   */
  @Test
  void thePlatformReachesItsDatabaseAsARoleRowLevelSecurityHolds(RunningSwitchboard switchboard)
      throws Exception {
    new People(switchboard).verified("rls-" + UUID.randomUUID() + "@example.com");
    try (Connection c = switchboard.database();
        Statement s = c.createStatement()) {
      List<String> roles = new ArrayList<>();
      try (ResultSet rows =
          s.executeQuery(
              "SELECT DISTINCT a.usename, r.rolsuper, r.rolbypassrls,"
                  + " EXISTS (SELECT 1 FROM pg_tables t WHERE t.tableowner = a.usename)"
                  + " FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename"
                  + " WHERE a.application_name = 'switchboard'")) {
        while (rows.next()) {
          roles.add(rows.getString(1));
          assertThat(rows.getBoolean(2)).as("%s is a superuser", rows.getString(1)).isFalse();
          assertThat(rows.getBoolean(3)).as("%s bypasses RLS", rows.getString(1)).isFalse();
          assertThat(rows.getBoolean(4)).as("%s owns tables", rows.getString(1)).isFalse();
        }
      }
      assertThat(roles).as("the roles of the platform's connections").containsExactly(APP_ROLE);
      try (ResultSet rows = s.executeQuery("SELECT count(*) FROM organizations")) {
        rows.next();
        assertThat(rows.getLong(1)).as("organizations, seen by the owner").isPositive();
      }
    }
    try (Connection c =
            DriverManager.getConnection(
                switchboard.databaseUrl(),
                APP_ROLE,
                Files.readString(
                        switchboard.dataDir().resolve("secrets").resolve("database-app-password"))
                    .strip());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM organizations")) {
      rows.next();
      assertThat(rows.getLong(1))
          .as("organizations, seen by the platform's role unscoped")
          .isZero();
    }
  }

  /** One case's call as the attacker, and what must not leak into its answer. */
  private record Call(RunningSwitchboard switchboard, String endpoint, Victim victim) {

    /**
     * The answer has the status and holds nothing of the victim's, but what the attacker sent in
     * the request's address or {@code sent} body (a 404 may name the id it did not find).
     */
    void leaksNothing(HttpResponse<String> response, int status, String... sent) {
      assertThat(response.statusCode()).as(endpoint + " → " + response.body()).isEqualTo(status);
      String request = response.request().uri() + " " + String.join(" ", sent);
      for (String secret : victim.secrets()) {
        if (!request.contains(secret)) {
          assertThat(response.body()).as(endpoint).doesNotContain(secret);
        }
      }
    }

    void notFound(HttpResponse<String> response, String... sent) {
      assertError(response, 404, endpoint);
      leaksNothing(response, 404, sent);
    }
  }

  private static Map<String, Consumer<Call>> restCases(Victim victim, Attacker attacker) {
    String management = attacker.tenant().managementKey();
    String inference = attacker.inferenceKey();
    Map<String, Consumer<Call>> cases = new LinkedHashMap<>();
    cases.put(
        "GET /api/v1/models",
        c -> c.leaksNothing(c.switchboard().get("/api/v1/models", inference), 200));
    cases.put(
        "GET /api/v1/models/{author}/{slug}/endpoints",
        c ->
            c.leaksNothing(
                c.switchboard().get("/api/v1/models/" + MODEL + "/endpoints", inference), 200));
    cases.put(
        "GET /api/v1/providers",
        c -> c.leaksNothing(c.switchboard().get("/api/v1/providers", inference), 200));
    cases.put(
        "GET /api/v1/key", c -> c.leaksNothing(c.switchboard().get("/api/v1/key", inference), 200));
    cases.put(
        "GET /api/v1/credits",
        c -> {
          HttpResponse<String> credits = c.switchboard().get("/api/v1/credits", management);
          c.leaksNothing(credits, 200);
          assertThat(
                  ExactJson.parse(credits.body()).path("data").path("total_credits").decimalValue())
              .as("the attacker's own credits")
              .isEqualByComparingTo("1.00");
        });
    // a management key acts as admin, which may not buy; the victim's checkout is not found
    cases.put(
        "POST /api/v1/credits/checkouts",
        c ->
            assertError(
                c.switchboard()
                    .post(
                        "/api/v1/credits/checkouts",
                        management,
                        "{\"amount\":\"20.00\"}",
                        Map.of()),
                403,
                c.endpoint()));
    cases.put(
        "GET /api/v1/credits/checkouts/{id}",
        c ->
            c.notFound(
                c.switchboard()
                    .get("/api/v1/credits/checkouts/" + victim.checkoutId(), management)));
    // refunds: admin may not refund (refused before the checkout is looked up); the victim's
    // checkout has no refunds the attacker can list
    cases.put(
        "POST /api/v1/credits/checkouts/{id}/refund",
        c ->
            assertError(
                c.switchboard()
                    .post(
                        "/api/v1/credits/checkouts/" + victim.checkoutId() + "/refund",
                        management,
                        "",
                        Map.of()),
                403,
                c.endpoint()));
    cases.put(
        "GET /api/v1/credits/checkouts/{id}/refunds",
        c ->
            c.notFound(
                c.switchboard()
                    .get(
                        "/api/v1/credits/checkouts/" + victim.checkoutId() + "/refunds",
                        management)));
    // the same for USDC purchases (not configured on the demo instance: the role is refused first)
    cases.put(
        "POST /api/v1/credits/usdc-purchases",
        c ->
            assertError(
                c.switchboard()
                    .post(
                        "/api/v1/credits/usdc-purchases",
                        management,
                        "{\"amount\":\"20.00\"}",
                        Map.of()),
                403,
                c.endpoint()));
    cases.put(
        "GET /api/v1/credits/usdc-purchases/{id}",
        c ->
            c.notFound(
                c.switchboard()
                    .get("/api/v1/credits/usdc-purchases/" + victim.usdcPurchaseId(), management)));
    // auto top-up names no id: the attacker reads its own (never set) and, acting as admin, may
    // not set it
    cases.put(
        "GET /api/v1/credits/auto-top-up",
        c -> {
          HttpResponse<String> settings =
              c.switchboard().get("/api/v1/credits/auto-top-up", management);
          c.leaksNothing(settings, 200);
          JsonNode own = ExactJson.parse(settings.body()).path("data");
          assertThat(own.path("enabled").asBoolean()).as("the attacker's own").isFalse();
          assertThat(own.path("threshold").decimalValue()).isEqualByComparingTo("0");
          assertThat(own.path("consecutive_declines").asInt()).isZero();
          assertThat(own.path("last_failure").isNull()).as(settings.body()).isTrue();
        });
    cases.put(
        "PUT /api/v1/credits/auto-top-up",
        c -> {
          String body = "{\"enabled\":false,\"threshold\":\"7.31\",\"amount\":\"43.17\"}";
          HttpResponse<String> refused =
              c.switchboard().put("/api/v1/credits/auto-top-up", management, body);
          assertError(refused, 403, c.endpoint());
          c.leaksNothing(refused, 403, body);
        });
    // provider keys name only a catalog provider: the attacker lists and sets its own, and
    // deleting a provider key only the victim has finds none
    cases.put(
        "GET /api/v1/byok",
        c -> {
          HttpResponse<String> own = c.switchboard().get("/api/v1/byok", management);
          c.leaksNothing(own, 200);
          assertThat(ExactJson.parse(own.body()).path("data")).as("the attacker's own").isEmpty();
        });
    cases.put(
        "PUT /api/v1/byok/{provider}",
        c -> {
          String body = "{\"api_key\":\"sk-attacker-own-key\"}";
          HttpResponse<String> own =
              c.switchboard().put("/api/v1/byok/" + BYOK_PROVIDER, management, body);
          c.leaksNothing(own, 200, body);
          assertThat(ExactJson.parse(own.body()).path("data").path("last4").asText())
              .as("the attacker's own key")
              .isEqualTo("-key");
        });
    cases.put(
        "POST /api/v1/byok/{provider}/check",
        c ->
            c.notFound(
                c.switchboard()
                    .post(
                        "/api/v1/byok/" + VICTIM_ONLY_BYOK_PROVIDER + "/check",
                        management,
                        "",
                        Map.of())));
    cases.put(
        "DELETE /api/v1/byok/{provider}",
        c ->
            c.notFound(
                c.switchboard().delete("/api/v1/byok/" + VICTIM_ONLY_BYOK_PROVIDER, management)));
    cases.put(
        "GET /api/v1/generation",
        c ->
            c.notFound(
                c.switchboard().get("/api/v1/generation?id=" + victim.generationId(), inference)));
    cases.put(
        "GET /api/v1/keys",
        c -> c.leaksNothing(c.switchboard().get("/api/v1/keys", management), 200));
    cases.put(
        "POST /api/v1/keys",
        c -> {
          String body = "{\"name\":\"planted\",\"workspace_id\":\"" + victim.workspaceId() + "\"}";
          c.notFound(c.switchboard().post("/api/v1/keys", management, body, Map.of()), body);
        });
    cases.put(
        "GET /api/v1/keys/{hash}",
        c -> c.notFound(c.switchboard().get("/api/v1/keys/" + victim.keyHash(), management)));
    cases.put(
        "PATCH /api/v1/keys/{hash}",
        c ->
            c.notFound(
                c.switchboard()
                    .patch("/api/v1/keys/" + victim.keyHash(), management, "{\"disabled\":true}")));
    cases.put(
        "DELETE /api/v1/keys/{hash}",
        c -> c.notFound(c.switchboard().delete("/api/v1/keys/" + victim.keyHash(), management)));
    cases.put(
        "GET /api/v1/workspaces",
        c -> c.leaksNothing(c.switchboard().get("/api/v1/workspaces", management), 200));
    cases.put(
        "POST /api/v1/workspaces",
        c ->
            c.leaksNothing(
                c.switchboard()
                    .post(
                        "/api/v1/workspaces", management, "{\"name\":\"Attacker Lab\"}", Map.of()),
                201));
    cases.put(
        "GET /api/v1/workspaces/{id}",
        c ->
            c.notFound(
                c.switchboard().get("/api/v1/workspaces/" + victim.workspaceId(), management)));
    cases.put(
        "GET /api/v1/organization/members",
        c -> c.leaksNothing(c.switchboard().get("/api/v1/organization/members", management), 200));
    cases.put(
        "GET /api/v1/organization/invitations",
        c ->
            c.leaksNothing(
                c.switchboard().get("/api/v1/organization/invitations", management), 200));
    cases.put(
        "POST /api/v1/organization/invitations",
        c ->
            c.leaksNothing(
                c.switchboard()
                    .post(
                        "/api/v1/organization/invitations",
                        management,
                        "{\"email\":\"someone-"
                            + UUID.randomUUID()
                            + "@example.com\",\"role\":\"member\"}",
                        Map.of()),
                201));
    String member = "/api/v1/organization/members/" + victim.member().id().value();
    cases.put(
        "PATCH /api/v1/organization/members/{id}",
        c -> c.notFound(c.switchboard().patch(member, management, "{\"role\":\"member\"}")));
    cases.put(
        "DELETE /api/v1/organization/members/{id}",
        c -> c.notFound(c.switchboard().delete(member, management)));
    cases.put(
        "POST /api/v1/operator/organizations",
        c ->
            assertError(
                c.switchboard()
                    .post(
                        "/api/v1/operator/organizations", management, "{\"name\":\"x\"}", Map.of()),
                401,
                c.endpoint()));
    cases.put(
        "POST /api/v1/operator/organizations/{id}/credits",
        c ->
            assertError(
                c.switchboard()
                    .post(
                        "/api/v1/operator/organizations/" + victim.tenant().id() + "/credits",
                        management,
                        "{\"amount\":\"100\",\"reason\":\"theft\"}",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString())),
                401,
                c.endpoint()));
    cases.put(
        "PATCH /api/v1/operator/organizations/{id}",
        c ->
            assertError(
                c.switchboard()
                    .patch(
                        "/api/v1/operator/organizations/" + victim.tenant().id(),
                        management,
                        "{\"rate_limit_rpm\":1}"),
                401,
                c.endpoint()));
    cases.put(
        "GET /api/v1/operator/reconciliation",
        c ->
            assertError(
                c.switchboard().get("/api/v1/operator/reconciliation", management),
                401,
                c.endpoint()));
    // single sign-on's servlet (GET only) holds nothing of a tenant; unconfigured here, it is
    // absent
    for (String path : List.of("/sso/signin", "/sso/callback")) {
      cases.put(
          "POST " + path,
          c -> c.leaksNothing(c.switchboard().get(path + "?state=" + victim.keyHash(), null), 404));
    }
    // card purchases are not configured on the demo instance: a webhook naming the victim's
    // checkout, signed with a guessed secret, finds nothing (CardPurchaseIT covers a configured
    // one)
    cases.put(
        "POST /api/v1/webhooks/stripe",
        c -> {
          String forged =
              "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                  + "\"data\":{\"object\":{\"id\":\"cs_victim\",\"object\":\"checkout.session\","
                  + "\"client_reference_id\":\""
                  + victim.checkoutId()
                  + "\",\"payment_status\":\"paid\"}}}";
          c.notFound(
              c.switchboard()
                  .post(
                      "/api/v1/webhooks/stripe",
                      null,
                      forged,
                      Map.of(
                          "Stripe-Signature", "t=" + System.currentTimeMillis() / 1000 + ",v1=00")),
              forged);
        });
    for (String path :
        List.of("/api/v1/chat/completions", "/api/v1/completions", "/api/v1/messages")) {
      String body =
          path.endsWith("/completions") && !path.contains("chat")
              ? "{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"prompt\":\"Name a river.\"}"
              : CHAT;
      cases.put(
          "POST " + path,
          c -> {
            c.leaksNothing(c.switchboard().post(path, inference, body, Map.of()), 200);
            assertError(
                c.switchboard().post(path, victim.keyHash(), body, Map.of()),
                401,
                "the victim key's public hash as a bearer");
          });
    }
    return cases;
  }

  /**
   * Each dashboard route, as the URL the attacker opens (with the victim's ids where it takes any).
   */
  private static Map<String, String> dashboardCases(Victim victim) {
    Map<String, String> routes = new TreeMap<>();
    routes.put("", "/");
    routes.put("models", "/models");
    routes.put("models/:author/:slug", "/models/" + MODEL);
    routes.put("signin", "/signin");
    routes.put("signin/sso", "/signin/sso");
    routes.put("settings", "/settings");
    routes.put("signup", "/signup");
    routes.put("forgot-password", "/forgot-password");
    routes.put("verify-email", "/verify-email?token=" + victim.keyHash());
    routes.put("reset-password", "/reset-password?token=" + victim.keyHash());
    routes.put("invitation", "/invitation?token=" + victim.keyHash());
    routes.put("keys", "/keys");
    routes.put("credits", "/credits");
    routes.put("credits/checkout/:id", "/credits/checkout/" + victim.checkoutId());
    routes.put("credits/usdc/:id", "/credits/usdc/" + victim.usdcPurchaseId());
    routes.put("members", "/members");
    routes.put("workspaces", "/workspaces");
    routes.put("operator", "/operator");
    routes.put("provider-keys", "/provider-keys");
    return routes;
  }

  private static Victim victim(RunningSwitchboard switchboard, People people) {
    Tenant tenant = Tenant.withCredits(switchboard, "2.00");
    String keyName = "victim key " + UUID.randomUUID();
    JsonNode key =
        created(
            switchboard.post(
                "/api/v1/keys",
                tenant.managementKey(),
                "{\"name\":\"" + keyName + "\"}",
                Map.of()));
    String plaintext = key.path("key").asText();
    HttpResponse<String> chat =
        switchboard.post("/api/v1/chat/completions", plaintext, CHAT, Map.of());
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    String workspaceName = "Victim Lab " + UUID.randomUUID();
    JsonNode workspace =
        created(
            switchboard.post(
                "/api/v1/workspaces",
                tenant.managementKey(),
                "{\"name\":\"" + workspaceName + "\"}",
                Map.of()));
    User member = people.verified("victim-" + UUID.randomUUID() + "@example.com");
    created(
        switchboard.post(
            "/api/v1/organization/invitations",
            tenant.managementKey(),
            "{\"email\":\"" + member.email() + "\",\"role\":\"member\"}",
            Map.of()));
    people.acceptInvitation(member);
    String invited = "invited-" + UUID.randomUUID() + "@example.com";
    created(
        switchboard.post(
            "/api/v1/organization/invitations",
            tenant.managementKey(),
            "{\"email\":\"" + invited + "\",\"role\":\"admin\"}",
            Map.of()));
    String checkoutId = checkoutOf(switchboard, tenant, member);
    String invoiceId = invoiceOf(switchboard, tenant, checkoutId);
    String depositAddress = "0x" + UUID.randomUUID().toString().replace("-", "") + "00000000";
    String usdcPurchaseId = usdcPurchaseOf(switchboard, tenant, member, depositAddress);
    String autoTopUpFailure = "victim's card declined " + UUID.randomUUID();
    autoTopUpOf(switchboard, tenant, member, autoTopUpFailure);
    String providerKeySecret = "sk-victim-byok-" + UUID.randomUUID();
    for (String provider : List.of(BYOK_PROVIDER, VICTIM_ONLY_BYOK_PROVIDER)) {
      HttpResponse<String> set =
          switchboard.put(
              "/api/v1/byok/" + provider,
              tenant.managementKey(),
              "{\"api_key\":\"" + providerKeySecret + "\",\"always_use\":true}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }
    return new Victim(
        tenant,
        key.path("data").path("hash").asText(),
        plaintext,
        keyName,
        ExactJson.parse(chat.body()).path("id").asText(),
        workspace.path("data").path("id").asText(),
        workspaceName,
        member,
        invited,
        checkoutId,
        invoiceId,
        "SB-" + tenant.id().substring(0, 8).toUpperCase(Locale.ROOT) + "-00001",
        usdcPurchaseId,
        depositAddress,
        autoTopUpFailure,
        providerKeySecret);
  }

  /**
   * The victim's auto top-up, off after two declines (written directly: the demo instance has no
   * Stripe to save a card), which the attacker's own settings must not show.
   */
  private static void autoTopUpOf(
      RunningSwitchboard switchboard, Tenant tenant, User member, String failure) {
    try (Connection c = switchboard.database();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO auto_top_up_settings (org_id, enabled, threshold_nanos, amount_nanos,"
                    + " consecutive_declines, last_failure, updated_by, updated_at)"
                    + " VALUES (?, false, 7310000000, 43170000000, 2, ?, ?, now())")) {
      insert.setObject(1, UUID.fromString(tenant.id()));
      insert.setString(2, failure);
      insert.setObject(3, member.id().value());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A USDC purchase of the victim's (written directly: the demo instance has no chain configured),
   * whose page the attacker tries.
   */
  private static String usdcPurchaseOf(
      RunningSwitchboard switchboard, Tenant tenant, User member, String depositAddress) {
    UUID id = UUID.randomUUID();
    try (Connection c = switchboard.database();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO crypto_purchases (id, org_id, created_by, credits_nanos, fee_nanos,"
                    + " amount_due_micros, deposit_index, deposit_address, expires_at, created_at)"
                    + " VALUES (?, ?, ?, 20000000000, 1000000000, 21000000,"
                    + " nextval('crypto_deposit_index'), ?, now() + interval '1 hour', now())")) {
      insert.setObject(1, id);
      insert.setObject(2, UUID.fromString(tenant.id()));
      insert.setObject(3, member.id().value());
      insert.setString(4, depositAddress);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return id.toString();
  }

  /**
   * An invoice of the victim's checkout (written directly, as its checkout is: crediting issues one
   * on an instance with Stripe), whose PDF the attacker asks for.
   */
  private static String invoiceOf(RunningSwitchboard switchboard, Tenant tenant, String checkout) {
    UUID id = UUID.randomUUID();
    try (Connection c = switchboard.database();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO invoices (id, org_id, number, checkout_id, issued_at, credits_nanos,"
                    + " fee_nanos, total_nanos, currency, payment_method, organization_name)"
                    + " VALUES (?, ?, 1, ?::uuid, now(), 20000000000, 1100000000, 21100000000,"
                    + " 'usd', 'Card (Stripe)', 'Victim')")) {
      insert.setObject(1, id);
      insert.setObject(2, UUID.fromString(tenant.id()));
      insert.setString(3, checkout);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return id.toString();
  }

  /**
   * A card checkout of the victim's, open at Stripe (written directly: the demo instance has no
   * Stripe configured), whose return page the attacker tries.
   */
  private static String checkoutOf(RunningSwitchboard switchboard, Tenant tenant, User member) {
    UUID id = UUID.randomUUID();
    try (Connection c = switchboard.database();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO stripe_checkouts (id, org_id, created_by, credits_nanos, fee_nanos,"
                    + " total_nanos, currency, idempotency_key, stripe_session_id, checkout_url,"
                    + " state, created_at, opened_at) VALUES (?, ?, ?, 20000000000, 1100000000,"
                    + " 21100000000, 'usd', ?, ?, 'https://checkout.test/pay', 'open', now(),"
                    + " now())")) {
      insert.setObject(1, id);
      insert.setObject(2, UUID.fromString(tenant.id()));
      insert.setObject(3, member.id().value());
      insert.setString(4, "checkout-" + id);
      insert.setString(5, "cs_victim_" + id);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return id.toString();
  }

  private static Attacker attacker(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    JsonNode key =
        created(
            switchboard.post(
                "/api/v1/keys", tenant.managementKey(), "{\"name\":\"attacker\"}", Map.of()));
    return new Attacker(tenant, key.path("key").asText());
  }

  private static JsonNode created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return ExactJson.parse(response.body());
  }

  private static void awaitNoSpendLease(RunningSwitchboard switchboard, Victim victim) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = switchboard.database();
          PreparedStatement held =
              c.prepareStatement("SELECT count(*) FROM reservations WHERE org_id = ?")) {
        held.setObject(1, UUID.fromString(victim.tenant().id()));
        try (ResultSet rows = held.executeQuery()) {
          rows.next();
          if (rows.getLong(1) == 0) {
            return;
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      assertThat(System.nanoTime())
          .as("the victim's spend lease is handed back")
          .isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  /**
   * The victim's rows, table by table (every table with an {@code org_id}), and what its own
   * management key reads: equal before and after the walk, or the attacker changed something.
   */
  private static Map<String, Object> victimState(RunningSwitchboard switchboard, Victim victim) {
    Map<String, Object> state = new TreeMap<>();
    for (String path :
        List.of(
            "/api/v1/credits",
            "/api/v1/credits/auto-top-up",
            "/api/v1/byok",
            "/api/v1/keys",
            "/api/v1/workspaces",
            "/api/v1/organization/members")) {
      state.put(
          path, victim.tenant().getJson(path).toString()); // credits first: it awaits settlement
    }
    try (Connection c = switchboard.database();
        Statement s = c.createStatement();
        ResultSet tables =
            s.executeQuery(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
                    + " AND column_name = 'org_id' ORDER BY table_name")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      for (String table : names) {
        try (PreparedStatement rows =
            c.prepareStatement(
                "SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM "
                    + table
                    + " t WHERE org_id = ?")) {
          rows.setObject(1, UUID.fromString(victim.tenant().id()));
          try (ResultSet all = rows.executeQuery()) {
            all.next();
            state.put(table, all.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return state;
  }
}
