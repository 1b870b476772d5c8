package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.payments.stripe.FakeStripe;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Buying credits by card against the built jar, whose Stripe SDK talks to the fake Stripe: an owner
 * sees the fee before paying, is sent to Stripe's checkout, comes back to a page that waits for the
 * webhook, and is credited once however often Stripe delivers; forged and malformed webhooks get
 * 400 and change nothing.
 */
class CardPurchaseIT {

  private static FakeStripe stripe;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() {
    stripe = FakeStripe.start(Clock.systemUTC());
    switchboard =
        RunningSwitchboard.start(
            Map.of(
                "STRIPE_SECRET_KEY",
                FakeStripe.SECRET_KEY,
                "STRIPE_WEBHOOK_SECRET",
                "whsec_test_retired_one, " + FakeStripe.WEBHOOK_SECRET,
                "SWITCHBOARD_STRIPE_API_BASE",
                stripe.apiBase()));
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
  void anOwnerBuysTwentyDollarsAndIsCreditedOnceWhenTheWebhookArrives() throws Exception {
    User owner = new People(switchboard).verified("buyer-" + UUID.randomUUID() + "@example.com");
    URI webhook = switchboard.uri("/api/v1/webhooks/stripe");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signIn(chromium, owner);
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.type("buy-amount", "20");
      assertThat(chromium.waitForText("buy-quote", text -> text.contains("$21.10")))
          .isEqualTo("Fee $1.10 · you pay $21.10 for $20.00");
      chromium.screenshot("buy-credits.png");
      chromium.visible("buy-submit").click();

      chromium.wait.until(d -> d.getCurrentUrl().startsWith(stripe.apiBase() + "/pay/"));
      String sessionId =
          chromium.driver.getCurrentUrl().substring((stripe.apiBase() + "/pay/").length());
      ObjectNode session = stripe.session(sessionId).orElseThrow();
      assertThat(session.path("amount_total").asLong()).isEqualTo(2110);

      // back from Stripe before its webhook: the page waits, it does not trust the redirect
      chromium.driver.get(session.path("success_url").asText());
      assertThat(chromium.waitForText("checkout-waiting", text -> !text.isBlank()))
          .contains("$21.10");
      assertThat(balanceNanos(owner)).isZero();

      stripe.pay(sessionId);
      FakeStripe.Delivery completed = stripe.event("checkout.session.completed", sessionId);
      List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        deliveries.add(CompletableFuture.supplyAsync(() -> stripe.deliver(webhook, completed)));
      }
      deliveries.add(
          CompletableFuture.supplyAsync(
              () ->
                  stripe.deliver(
                      webhook,
                      stripe.event("checkout.session.async_payment_succeeded", sessionId))));
      for (CompletableFuture<HttpResponse<String>> delivery : deliveries) {
        assertThat(delivery.get().statusCode()).as(delivery.get().body()).isEqualTo(200);
      }

      assertThat(chromium.waitForText("checkout-credited", text -> !text.isBlank()))
          .isEqualTo("$20.00 of credits arrived. Thank you!");
      chromium.screenshot("checkout-credited.png");
      assertThat(balanceNanos(owner)).isEqualTo(20_000_000_000L);

      chromium.driver.get(switchboard.uri("/credits").toString());
      assertThat(chromium.waitForText("credits-balance", text -> !text.isBlank()))
          .isEqualTo("$20.00");
      chromium.waitForCells(
          "statement-grid", cells -> cells.contains("Credits added: Card purchase"));
    }
  }

  @Test
  void forgedOrMalformedWebhooksAreRefusedAndChangeNothing() {
    long now = Clock.systemUTC().instant().getEpochSecond();
    ObjectNode session = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    session.put("id", "cs_test_forged");
    session.put("object", "checkout.session");
    session.put("payment_status", "paid");
    session.put("amount_total", 1_000_000);
    session.put("currency", "usd");
    String payload = stripe.eventPayload("evt_forged", "checkout.session.completed", session);
    String notJson = "{\"id\":\"evt_broken\",";
    Map<String, FakeStripe.Delivery> cases =
        Map.of(
            "no signature", new FakeStripe.Delivery(payload, ""),
            "a wrong secret",
                new FakeStripe.Delivery(payload, FakeStripe.signature(payload, "whsec_guess", now)),
            "a stale timestamp",
                new FakeStripe.Delivery(
                    payload, FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now - 400)),
            "t=abc",
                new FakeStripe.Delivery(
                    payload,
                    FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now)
                        .replaceFirst("t=\\d+", "t=abc")),
            "invalid JSON",
                new FakeStripe.Delivery(
                    notJson, FakeStripe.signature(notJson, FakeStripe.WEBHOOK_SECRET, now)));
    Map<String, Long> before = switchboard.tableRowCounts();

    cases.forEach(
        (what, delivery) ->
            assertError(
                stripe.deliver(switchboard.uri("/api/v1/webhooks/stripe"), delivery), 400, what));
    assertError(
        switchboard.post("/api/v1/webhooks/stripe", null, payload, Map.of()),
        400,
        "no Stripe-Signature header");

    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
  }

  @Test
  void aManagementKeyActsAsAdminAndCannotBuy() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    Map<String, Long> before = switchboard.tableRowCounts();
    int stripeCalls = stripe.received().size();

    assertThat(
            assertError(
                    switchboard.post(
                        "/api/v1/credits/checkouts",
                        tenant.managementKey(),
                        "{\"amount\":\"20.00\"}",
                        Map.of()),
                    403,
                    "a management key buying")
                .path("message")
                .asText())
        .isEqualTo("Your role (admin) does not allow buying credits");
    assertError(
        switchboard.get("/api/v1/credits/checkouts/" + UUID.randomUUID(), tenant.managementKey()),
        404,
        "an unknown checkout");

    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
    assertThat(stripe.received())
        .noneMatch(r -> r.method().equals("POST") && r.idempotencyKey() == null);
  }

  private static void signIn(HeadlessChromium chromium, User user) {
    chromium.driver.get(switchboard.uri("/signin").toString());
    chromium.type("signin-email", user.email());
    chromium.type("signin-password", People.PASSWORD);
    chromium.visible("signin-submit").click();
    chromium.wait.until(d -> d.getCurrentUrl().endsWith("/keys"));
    chromium.wait.until(d -> !d.findElement(By.tagName("body")).getText().isBlank());
  }

  private static long balanceNanos(User user) throws SQLException {
    try (Connection c = switchboard.database();
        PreparedStatement query =
            c.prepareStatement(
                "SELECT balance_nanos FROM ledger_accounts WHERE org_id = ? AND kind = 'org_credits'")) {
      query.setObject(1, user.personalOrgId().value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
