package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.payments.stripe.FakeStripe;
import dev.switchboard.simulator.ProviderSimulator;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The free tier's daily quota against the built jar, on an instance of its own whose quotas are
 * small: 3 requests a UTC day to {@code :free} models for an organization that never bought
 * credits, 5 once it has bought $10 (the minute's quota, 100, stays out of the way). Over the day's
 * quota a request is 429 with {@code Retry-After} until UTC midnight and the day's {@code
 * X-RateLimit-*}, while paid models still answer. $10 bought by card (the jar's Stripe SDK against
 * the fake Stripe, credited by the signed webhook) lifts the organization off the free tier and
 * raises its quota the same day; $10 granted by the operator does not.
 */
class FreeTierIT {

  private static final String FREE_MODEL = "test/gratis:free";
  private static final String PAID_MODEL = "test/alpha";
  private static final String FREE_PROVIDER = "beta";
  private static final int PER_DAY = 3;
  private static final int PER_DAY_PAID = 5;

  /**
   * How long an instance may serve a key read before a purchase (the key cache's 5 s, and some).
   */
  private static final Duration KEY_CACHE = Duration.ofSeconds(15);

  private static ProviderSimulator simulator;
  private static FakeStripe stripe;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    stripe = FakeStripe.start(Clock.systemUTC());
    Map<String, String> environment = new HashMap<>(ControlledSwitchboard.environment(simulator));
    environment.put("SWITCHBOARD_FREE_PER_MINUTE", "100");
    environment.put("SWITCHBOARD_FREE_PER_DAY", String.valueOf(PER_DAY));
    environment.put("SWITCHBOARD_FREE_PER_DAY_PAID", String.valueOf(PER_DAY_PAID));
    environment.put("SWITCHBOARD_FREE_PAID_THRESHOLD", "10");
    environment.put("STRIPE_SECRET_KEY", FakeStripe.SECRET_KEY);
    environment.put("STRIPE_WEBHOOK_SECRET", FakeStripe.WEBHOOK_SECRET);
    environment.put("SWITCHBOARD_STRIPE_API_BASE", stripe.apiBase());
    switchboard = RunningSwitchboard.start(environment);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {switchboard, stripe, simulator}) {
      if (running != null) {
        running.close();
      }
    }
  }

  @Test
  void anOrganizationThatNeverBoughtGetsTheDaysQuotaThen429UntilUtcMidnightWhilePaidModelsAnswer() {
    // $1 granted by the operator pays for the paid request; a grant is not a purchase
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String key = tenant.managementKey();
    assertThat(isFreeTier(key)).isTrue();
    int sentUpstream = simulator.recordedRequests(FREE_PROVIDER).size();

    for (int i = 1; i <= PER_DAY; i++) {
      HttpResponse<String> answered = chat(key, FREE_MODEL);
      assertThat(answered.statusCode())
          .as("free request " + i + ": " + answered.body())
          .isEqualTo(200);
      assertThat(ExactJson.parse(answered.body()).path("usage").path("cost").decimalValue())
          .isEqualByComparingTo("0");
      // the day's quota is the tightest: its headers are on the answer
      assertThat(answered.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
      assertThat(answered.headers().firstValue("X-RateLimit-Remaining"))
          .hasValue(String.valueOf(PER_DAY - i));
    }

    Instant before = Instant.now();
    HttpResponse<String> refused = chat(key, FREE_MODEL);
    Instant after = Instant.now();
    assertRefusedForTheDay(refused, PER_DAY, before, after);
    assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");

    HttpResponse<String> paid = chat(key, PAID_MODEL);
    assertThat(paid.statusCode())
        .as("a paid model over the free quota: " + paid.body())
        .isEqualTo(200);
    assertThat(ExactJson.parse(paid.body()).path("usage").path("cost").decimalValue()).isPositive();

    assertThat(chat(key, FREE_MODEL).statusCode())
        .as("still refused after a paid request")
        .isEqualTo(429);
    assertThat(simulator.recordedRequests(FREE_PROVIDER).size() - sentUpstream)
        .as("requests the free provider received: refused ones never reach it")
        .isEqualTo(PER_DAY);
    assertThat(isFreeTier(key)).isTrue();
  }

  @Test
  void buyingTenDollarsByCardLiftsTheOrganizationOffTheFreeTierAndRaisesTheSameDaysQuota() {
    People people = new People(switchboard);
    User owner = people.verified("free-" + UUID.randomUUID() + "@example.com");
    String org = owner.personalOrgId().value().toString();
    String key = people.keyCreatedBy(owner, org);
    assertThat(isFreeTier(key)).isTrue();
    for (int i = 1; i <= PER_DAY; i++) {
      assertThat(chat(key, FREE_MODEL).statusCode()).as("free request " + i).isEqualTo(200);
    }
    assertThat(chat(key, FREE_MODEL).statusCode()).as("over the free tier's day").isEqualTo(429);

    // $10 of credits, the threshold exactly ($0.80 of fee on top is not credits bought)
    CardCheckouts checkouts = new CardCheckouts(switchboard, stripe);
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, owner.email(), People.PASSWORD);
      checkouts.payAndNotify(checkouts.openInBrowser(chromium, "10", "$10.80"));
    }
    assertThat(
            switchboard.queryString(
                "SELECT state FROM stripe_checkouts WHERE org_id = ?::uuid", org))
        .isEqualTo("credited");

    // the purchase is read with the key, which an instance caches for up to 5 s
    await().atMost(KEY_CACHE).pollInterval(Duration.ofMillis(250)).until(() -> !isFreeTier(key));

    for (int i = PER_DAY + 1; i <= PER_DAY_PAID; i++) {
      HttpResponse<String> answered = chat(key, FREE_MODEL);
      assertThat(answered.statusCode())
          .as("free request " + i + ": " + answered.body())
          .isEqualTo(200);
      assertThat(answered.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
      assertThat(answered.headers().firstValue("X-RateLimit-Remaining"))
          .hasValue(String.valueOf(PER_DAY_PAID - i));
    }
    Instant before = Instant.now();
    HttpResponse<String> refused = chat(key, FREE_MODEL);
    Instant after = Instant.now();
    assertRefusedForTheDay(refused, PER_DAY_PAID, before, after);
  }

  @Test
  void tenDollarsGrantedByTheOperatorLeaveTheOrganizationOnTheFreeTier() {
    Tenant tenant = Tenant.withCredits(switchboard, "10.00");
    HttpResponse<String> more = tenant.grant("5.00", "more-" + UUID.randomUUID());
    assertThat(more.statusCode()).as(more.body()).isEqualTo(201);
    String key = tenant.managementKey();

    assertThat(isFreeTier(key)).isTrue();
    for (int i = 1; i <= PER_DAY; i++) {
      HttpResponse<String> answered = chat(key, FREE_MODEL);
      assertThat(answered.statusCode()).as("free request " + i).isEqualTo(200);
      assertThat(answered.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
    }
    Instant before = Instant.now();
    HttpResponse<String> refused = chat(key, FREE_MODEL);
    Instant after = Instant.now();
    assertRefusedForTheDay(refused, PER_DAY, before, after);
    assertThat(tenant.balance()).isEqualByComparingTo("15.00");
  }

  /**
   * A 429 of the free tier's day quota of {@code limit}, sent between {@code before} and {@code
   * after}: the error shape saying so, {@code Retry-After} the seconds until the next UTC midnight,
   * and {@code X-RateLimit-Reset} that midnight.
   */
  private static void assertRefusedForTheDay(
      HttpResponse<String> refused, int limit, Instant before, Instant after) {
    JsonNode error = assertError(refused, 429, "over the free tier's day quota");
    assertThat(error.path("message").asText())
        .contains(limit + " requests per day (UTC) for this organization's free models");
    Instant midnight = after.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter)
        .isBetween(
            Math.max(1, Duration.between(after, midnight).getSeconds()),
            Duration.between(before, midnight).getSeconds() + 1)
        .isLessThanOrEqualTo(Duration.ofDays(1).getSeconds());
    assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue(String.valueOf(limit));
    assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    assertThat(refused.headers().firstValue("X-RateLimit-Reset"))
        .hasValue(String.valueOf(midnight.toEpochMilli()));
    assertThat(error.path("metadata").path("limit").asInt()).isEqualTo(limit);
  }

  private static boolean isFreeTier(String key) {
    HttpResponse<String> self = switchboard.get("/api/v1/key", key);
    assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    JsonNode freeTier = ExactJson.parse(self.body()).path("data").path("is_free_tier");
    assertThat(freeTier.isBoolean()).as(self.body()).isTrue();
    return freeTier.asBoolean();
  }

  private static HttpResponse<String> chat(String key, String model) {
    return switchboard.post(
        "/api/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        Map.of());
  }
}
