package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.payments.stripe.FakeStripe;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Buying credits by card against the built jar, whose Stripe SDK talks to the fake Stripe: an owner
 * sees the fee before paying, is sent to Stripe's checkout, comes back to a page that waits for the
 * webhook, and is credited once however often Stripe delivers, with one receipt (through a real
 * SMTP server) and one invoice PDF addressed to the billing details of that moment; forged and
 * malformed webhooks get 400 and change nothing; a member can neither buy nor download invoices.
 */
class CardPurchaseIT {

  private static final Duration MAIL_WAIT = Duration.ofSeconds(30);
  private static final Pattern INVOICE_NUMBER = Pattern.compile("SB-[0-9A-F]{8}-\\d{5}");

  private static FakeStripe stripe;
  private static GreenMail mail;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() throws IOException {
    stripe = FakeStripe.start(Clock.systemUTC());
    mail = MailedLinks.startSmtpServer();
    switchboard =
        RunningSwitchboard.start(
            Map.of(
                "STRIPE_SECRET_KEY",
                FakeStripe.SECRET_KEY,
                "STRIPE_WEBHOOK_SECRET",
                "whsec_test_retired_one, " + FakeStripe.WEBHOOK_SECRET,
                "SWITCHBOARD_STRIPE_API_BASE",
                stripe.apiBase(),
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
    if (stripe != null) {
      stripe.close();
    }
    if (mail != null) {
      mail.stop();
    }
  }

  @Test
  void anOwnerBuysTwentyDollarsAndIsCreditedOnceWhenTheWebhookArrives() throws Exception {
    User owner = new People(switchboard).verified("buyer-" + UUID.randomUUID() + "@example.com");
    String billingEmail = "books-" + UUID.randomUUID() + "@example.com";
    URI webhook = switchboard.uri("/api/v1/webhooks/stripe");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signIn(chromium, owner);

      // billing details first: a refused part says why on its field, and nothing is stored
      chromium.driver.get(switchboard.uri("/settings").toString());
      chromium.type("billing-legal-name", "Difference Engines Ltd");
      chromium.type("billing-address-line1", "1 Babbage Street");
      chromium.type("billing-country", "G1");
      chromium.type("billing-tax-id", "GB123456789");
      chromium.type("billing-email", billingEmail);
      save(chromium);
      chromium.waitForText("billing-message", message -> message.contains("two-letter"));
      assertThat(chromium.visible("billing-country").getAttribute("invalid")).isNotNull();
      assertThat(
              switchboard.queryLong(
                  "SELECT count(*) FROM billing_details WHERE org_id = ?::uuid",
                  owner.personalOrgId().toString()))
          .isZero();
      chromium.type("billing-country", "gb");
      save(chromium);
      chromium.waitForText("billing-message", message -> message.contains("saved"));
      assertThat(
              switchboard.queryString(
                  "SELECT country FROM billing_details WHERE org_id = ?::uuid",
                  owner.personalOrgId().toString()))
          .isEqualTo("GB");

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

      // the purchase history: credits, fee, total, state and the invoice's number
      chromium.waitForCells("purchases-grid", cells -> cells.contains("Credited"));
      List<String> purchase = chromium.cells("purchases-grid");
      assertThat(purchase).contains("$20.00", "$1.10", "$21.10", "Credited");
      String number =
          purchase.stream()
              .filter(cell -> INVOICE_NUMBER.matcher(cell).matches())
              .findFirst()
              .orElseThrow(() -> new AssertionError("no invoice number in " + purchase));
      assertThat(number).endsWith("-00001");
      chromium.screenshot("purchases.png");

      // one receipt each to the buyer and the billing e-mail, however often Stripe delivered
      for (String recipient : List.of(owner.email(), billingEmail)) {
        String receipt = (String) awaitMailTo(recipient).getContent();
        assertThat(receipt)
            .contains("Credits:         $20.00")
            .contains("Processing fee:  $1.10")
            .contains("Total charged:   $21.10")
            .contains(number)
            .contains(switchboard.uri("/credits").toString());
      }

      // the invoice PDF, addressed to the billing details of the moment it was credited
      String invoice = invoiceLink(chromium);
      String text = pdfText(download(chromium, invoice));
      assertThat(text)
          .contains("Invoice " + number)
          .contains("$20.00")
          .contains("$1.10")
          .contains("$21.10")
          .contains("Card (Stripe)")
          .contains("Difference Engines Ltd")
          .contains("1 Babbage Street")
          .contains("Tax id: GB123456789");

      chromium.driver.get(switchboard.uri("/settings").toString());
      chromium.type("billing-legal-name", "Renamed Ltd");
      save(chromium);
      chromium.waitForText("billing-message", message -> message.contains("saved"));
      assertThat(pdfText(download(chromium, invoice)))
          .as("a later edit does not rewrite an issued invoice")
          .contains("Difference Engines Ltd")
          .doesNotContain("Renamed Ltd");

      // another organization's member, and nobody signed in, are told it does not exist
      User stranger =
          new People(switchboard).verified("stranger-" + UUID.randomUUID() + "@example.com");
      try (HeadlessChromium other = new HeadlessChromium()) {
        signIn(other, stranger);
        HttpResponse<byte[]> foreign = get(other, invoice);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(new String(foreign.body(), StandardCharsets.UTF_8)).isEqualTo("No such invoice");
      }
      HttpResponse<String> anonymous =
          switchboard.send(HttpRequest.newBuilder(URI.create(invoice)).GET().build());
      assertThat(anonymous.statusCode()).isEqualTo(404);
      assertThat(anonymous.body()).isEqualTo("No such invoice");
    }
    assertThat(mailsTo(owner.email())).as("no receipt twice").isEqualTo(1);
    assertThat(mailsTo(billingEmail)).as("no receipt twice").isEqualTo(1);
  }

  @Test
  void aMemberCanNeitherBuyNorDownloadTheInvoicesOfTheirTeam() throws Exception {
    Tenant team = Tenant.withCredits(switchboard, "0");
    String teamName =
        switchboard.queryString("SELECT name FROM organizations WHERE id = ?::uuid", team.id());
    People people = new People(switchboard);
    User billing = joined(people, team, "billing");
    User member = joined(people, team, "member");
    String invoice;
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signIn(chromium, billing);
      select(chromium, teamName);
      CardCheckouts checkouts = new CardCheckouts(switchboard, stripe);
      checkouts.payAndNotify(checkouts.openInBrowser(chromium, "20", "$21.10"));
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.waitForCells("purchases-grid", cells -> cells.contains("Credited"));
      invoice = invoiceLink(chromium);
      assertThat(download(chromium, invoice).length)
          .as("the billing member's download")
          .isPositive();
    }

    try (HeadlessChromium chromium = new HeadlessChromium()) {
      signIn(chromium, member);
      select(chromium, teamName);
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.wait.until(d -> d.getCurrentUrl().endsWith("/keys"));
      assertThat(chromium.driver.findElements(By.id("buy-submit"))).isEmpty();
      assertThat(chromium.driver.findElement(By.id("main-nav")).getText())
          .doesNotContain("Credits");
      HttpResponse<byte[]> refused = get(chromium, invoice);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(new String(refused.body(), StandardCharsets.UTF_8))
          .isEqualTo("Your role (member) does not show purchases and invoices");
    }

    String memberKey = people.keyCreatedBy(member, team.id());
    Map<String, Long> before = switchboard.tableRowCounts();
    assertError(
        switchboard.post(
            "/api/v1/credits/checkouts", memberKey, "{\"amount\":\"20.00\"}", Map.of()),
        403,
        "a member's own key buying");
    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
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

  /** A new person who accepted the invitation to the team in a role that was mailed to them. */
  private static User joined(People people, Tenant team, String role) throws Exception {
    User person = people.verified(role + "-" + UUID.randomUUID() + "@example.com");
    HttpResponse<String> invited =
        switchboard.post(
            "/api/v1/organization/invitations",
            team.managementKey(),
            "{\"email\":\"" + person.email() + "\",\"role\":\"" + role + "\"}",
            Map.of());
    assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
    people.acceptInvitation(person, MailedLinks.linkIn(awaitMailTo(person.email()), "invitation"));
    return person;
  }

  /** Selects one of the signed-in member's organizations in the header's switcher. */
  private static void select(HeadlessChromium chromium, String organization) {
    chromium.visible("organization-switcher").click();
    chromium
        .wait
        .until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-select-item[contains(., '" + organization + "')]")))
        .click();
    chromium.waitForText("organization-switcher", text -> text.contains(organization));
    chromium.wait.until((WebDriver d) -> chromium.vaadinIsIdle());
  }

  /** Saves the billing details (the button is below the fold of the Settings page). */
  private static void save(HeadlessChromium chromium) {
    WebElement save = chromium.visible("billing-save");
    chromium.driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", save);
    save.click();
  }

  /** The absolute address of the first invoice PDF the purchases grid links to. */
  private static String invoiceLink(HeadlessChromium chromium) {
    return chromium
        .wait
        .until(
            (WebDriver d) ->
                d
                    .findElements(By.cssSelector("#purchases-grid a[href*='credits/invoices/']"))
                    .stream()
                    .findFirst()
                    .orElse(null))
        .getAttribute("href");
  }

  /** The address fetched with the browser's cookies, as its own download would be. */
  private static HttpResponse<byte[]> get(HeadlessChromium chromium, String address) {
    String cookies =
        chromium.driver.manage().getCookies().stream()
            .map(cookie -> cookie.getName() + "=" + cookie.getValue())
            .collect(Collectors.joining("; "));
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(address)).header("Cookie", cookies).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The PDF the address serves to the browser's member. */
  private static byte[] download(HeadlessChromium chromium, String address) {
    HttpResponse<byte[]> response = get(chromium, address);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
        .startsWith("attachment; filename=\"invoice-SB-");
    return response.body();
  }

  private static String pdfText(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document);
    }
  }

  private static long mailsTo(String address) throws Exception {
    long count = 0;
    for (MimeMessage message : mail.getReceivedMessages()) {
      for (Address to : message.getAllRecipients()) {
        if (to.toString().equals(address)) {
          count++;
        }
      }
    }
    return count;
  }

  /** The first message to that address, once it has arrived. */
  private static MimeMessage awaitMailTo(String address) throws Exception {
    long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
    while (true) {
      for (MimeMessage message : mail.getReceivedMessages()) {
        for (Address to : message.getAllRecipients()) {
          if (to.toString().equals(address)) {
            return message;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no e-mail to " + address + " within " + MAIL_WAIT);
      }
      mail.waitForIncomingEmail(200, mail.getReceivedMessages().length + 1);
    }
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
