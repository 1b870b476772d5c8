package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.payments.stripe.FakeStripe;
import dev.switchboard.simulator.ProviderSimulator;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two jars sharing one PostgreSQL (the supported way to run several instances), with the same
 * simulated providers and operator token: a key deleted or disabled through one instance is refused
 * by the other within a second, though the other had it cached; and a key limit holds exactly when
 * requests arrive at both at once.
 */
class TwoInstancesIT {

  private static final Duration PROPAGATION = Duration.ofSeconds(1);

  /** test/flat costs $0.001 a request, so its worst case is its cost. */
  private static final String FLAT_CHAT =
      "{\"model\":\"test/flat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"max_tokens\":5}";

  private static final BigDecimal REQUEST_COST = new BigDecimal("0.001");
  private static final int AFFORDED = 100;
  private static final int CONCURRENT = 200;
  private static final int ROUNDS = 50;

  private static final String LISTENING =
      "SELECT count(*) FROM pg_stat_activity"
          + " WHERE application_name = 'switchboard-key-change-listener' AND state = 'idle'"
          + " AND query LIKE 'LISTEN%'";
  private static final String LISTENERS_CUT =
      "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE application_name = 'switchboard-key-change-listener') AS cut";

  private static ProviderSimulator simulator;
  private static FakeStripe stripe;
  private static SharedDatabase database;
  private static RunningSwitchboard first;
  private static RunningSwitchboard second;

  @BeforeAll
  static void start() {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    stripe = FakeStripe.start(Clock.systemUTC());
    database = SharedDatabase.start();
    Map<String, String> environment = new HashMap<>(ControlledSwitchboard.environment(simulator));
    environment.putAll(database.environment());
    environment.put("STRIPE_SECRET_KEY", FakeStripe.SECRET_KEY);
    environment.put("STRIPE_WEBHOOK_SECRET", FakeStripe.WEBHOOK_SECRET);
    environment.put("SWITCHBOARD_STRIPE_API_BASE", stripe.apiBase());
    // one after the other: the first migrates the schema, the second finds it current
    first = RunningSwitchboard.start(environment);
    second = RunningSwitchboard.start(environment);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {second, first, database, simulator, stripe}) {
      if (running != null) {
        running.close();
      }
    }
  }

  @Test
  void aKeyDeletedThroughOneInstanceIsRefusedByTheOtherWithinASecond() {
    Tenant tenant = Tenant.withCredits(first, "1.00");
    CreatedKey key = createKey(tenant, "{\"name\":\"deleted elsewhere\"}");
    assertThat(second.get("/api/v1/key", key.plaintext()).statusCode())
        .as("the second instance knows (and caches) the key")
        .isEqualTo(200);

    HttpResponse<String> deleted =
        first.delete("/api/v1/keys/" + key.hash(), tenant.managementKey());
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);

    long refusedAfter = awaitRefusedBySecond(key);
    System.out.println("deleted key refused by the other instance after " + refusedAfter + " ms");
  }

  @Test
  void aKeyDisabledThroughOneInstanceIsRefusedByTheOtherWithinASecond() {
    Tenant tenant = Tenant.withCredits(first, "1.00");
    CreatedKey key = createKey(tenant, "{\"name\":\"disabled elsewhere\"}");
    assertThat(chat(second, key.plaintext()).statusCode())
        .as("the second instance serves (and caches) the key")
        .isEqualTo(200);
    assertThat(second.get("/api/v1/key", key.plaintext()).statusCode()).isEqualTo(200);

    HttpResponse<String> disabled =
        first.patch("/api/v1/keys/" + key.hash(), tenant.managementKey(), "{\"disabled\":true}");
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);

    long refusedAfter = awaitRefusedBySecond(key);
    System.out.println("disabled key refused by the other instance after " + refusedAfter + " ms");
  }

  @Test
  void aLimitChangedThroughOneInstanceIsReadByTheOtherWithinASecond() {
    Tenant tenant = Tenant.withCredits(first, "1.00");
    CreatedKey key = createKey(tenant, "{\"name\":\"limited elsewhere\",\"limit\":\"0.5\"}");
    assertThat(limitSeenBySecond(key)).isEqualByComparingTo("0.5");

    HttpResponse<String> lowered =
        first.patch("/api/v1/keys/" + key.hash(), tenant.managementKey(), "{\"limit\":\"0.25\"}");
    assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);

    await()
        .atMost(PROPAGATION)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(limitSeenBySecond(key)).isEqualByComparingTo("0.25"));
  }

  @Test
  void keyChangesStillArriveAfterTheListenersConnectionIsCut() {
    Tenant tenant = Tenant.withCredits(first, "1.00");
    CreatedKey key = createKey(tenant, "{\"name\":\"after a reconnect\"}");
    assertThat(database.queryLong(LISTENERS_CUT)).as("listeners cut").isEqualTo(2);
    // each instance reconnects (and, having perhaps missed changes, empties its key cache)
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> database.queryLong(LISTENING) == 2);
    assertThat(second.get("/api/v1/key", key.plaintext()).statusCode()).isEqualTo(200);

    HttpResponse<String> deleted =
        first.delete("/api/v1/keys/" + key.hash(), tenant.managementKey());
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);

    awaitRefusedBySecond(key);
  }

  /**
   * Issue 9's first acceptance line: 200 requests released at once, half through each instance,
   * against a key whose limit affords exactly 100 of them; never more than the limit is spent, the
   * others are refused with 402, nothing fails, nothing stays reserved, the books agree. Fifty
   * rounds, each on a key of its own.
   */
  @Test
  void aKeyLimitHoldsExactlyWhenRequestsArriveAtBothInstancesAtOnce() throws Exception {
    BigDecimal limit = REQUEST_COST.multiply(BigDecimal.valueOf(AFFORDED));
    ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
    List<String> rounds = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        Tenant tenant = Tenant.withCredits(first, "10.00");
        CreatedKey key =
            createKey(tenant, "{\"name\":\"round " + round + "\",\"limit\":\"" + limit + "\"}");
        CyclicBarrier together = new CyclicBarrier(CONCURRENT);
        List<Future<Integer>> requests = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < CONCURRENT; i++) {
          RunningSwitchboard instance = i % 2 == 0 ? first : second;
          requests.add(
              clients.submit(
                  () -> {
                    together.await(30, TimeUnit.SECONDS);
                    return chat(instance, key.plaintext()).statusCode();
                  }));
        }
        int[] served = new int[2];
        int refused = 0;
        for (int i = 0; i < CONCURRENT; i++) {
          int status = requests.get(i).get(120, TimeUnit.SECONDS);
          assertThat(status).as("request %d of round %d", i, round).isIn(200, 402);
          if (status == 200) {
            served[i % 2]++;
          } else {
            refused++;
          }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int ok = served[0] + served[1];
        assertThat(ok + refused).isEqualTo(CONCURRENT);
        assertThat(ok).as("served in round %d", round).isLessThanOrEqualTo(AFFORDED);

        // settlements are written shortly after the answers
        BigDecimal spent = REQUEST_COST.multiply(BigDecimal.valueOf(ok));
        assertThat(nanos(spent)).isLessThanOrEqualTo(nanos(limit));
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(
                () -> {
                  assertThat(keyUsageNanos(key)).as("the key's usage").isEqualTo(nanos(spent));
                  assertThat(
                          database.queryLong(
                              "SELECT balance_nanos FROM ledger_accounts"
                                  + " WHERE org_id = ?::uuid AND kind = 'org_credits'",
                              tenant.id()))
                      .as("the organization's balance: its grant less what was served")
                      .isEqualTo(nanos(new BigDecimal("10.00").subtract(spent)));
                });
        assertThat(
                database.queryLong(
                    "SELECT coalesce(sum(cost_nanos), 0) FROM generations g JOIN api_keys k"
                        + " ON k.id = g.api_key_id WHERE k.hash = ?",
                    key.hash()))
            .isEqualTo(nanos(spent));
        rounds.add(
            "round "
                + round
                + ": "
                + ok
                + " served ("
                + served[0]
                + " + "
                + served[1]
                + "), "
                + refused
                + " refused (402), spent $"
                + spent
                + " of $"
                + limit
                + ", "
                + millis
                + " ms");
        keys.add(key.hash());
      }
    } finally {
      clients.shutdownNow();
      rounds.forEach(System.out::println);
    }
    // every lease goes back once its key is idle, whichever instance held it
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(
                        database.queryLong(
                            "SELECT count(*) FROM reservations r JOIN api_keys k"
                                + " ON k.id = r.api_key_id WHERE k.hash = ANY (string_to_array(?, ','))",
                            String.join(",", keys)))
                    .as("open reservations of the rounds' keys")
                    .isZero());
    HttpResponse<String> reconciliation =
        second.get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN);
    assertThat(reconciliation.statusCode()).as(reconciliation.body()).isEqualTo(200);
    assertThat(Tenant.parse(reconciliation.body()).path("data").path("clean").asBoolean())
        .as(reconciliation.body())
        .isTrue();
  }

  /**
   * A key's request rate limit across both instances: 300 requests as fast as they go, alternating
   * between the instances, against 100 a minute. Answers are grouped by their window (its end, in
   * {@code X-RateLimit-Reset}), so a minute boundary in the middle cannot fool the count: no window
   * admits more than the limit, and a window in which a request was refused (so the database had
   * granted the whole limit) admitted at least the limit less one chunk (a twentieth of it) that
   * the other instance may hold unused. Refusals are 429 with {@code Retry-After}.
   */
  @Test
  void aRateLimitHoldsAcrossTwoInstancesWithinTheStatedBound() throws Exception {
    int limit = 100;
    int chunk = limit / 20;
    int requests = 300;
    Tenant tenant = Tenant.withCredits(first, "10.00");
    CreatedKey key =
        createKey(tenant, "{\"name\":\"rate limited\",\"rate_limit_rpm\":" + limit + "}");
    record Answer(int status, long reset, String retryAfter, String body) {}
    ExecutorService clients = Executors.newFixedThreadPool(32);
    List<Answer> answers = new ArrayList<>();
    try {
      List<Future<Answer>> sent = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        RunningSwitchboard instance = i % 2 == 0 ? first : second;
        sent.add(
            clients.submit(
                () -> {
                  HttpResponse<String> response = chat(instance, key.plaintext());
                  return new Answer(
                      response.statusCode(),
                      response.headers().firstValueAsLong("X-RateLimit-Reset").orElse(-1),
                      response.headers().firstValue("Retry-After").orElse(null),
                      response.body());
                }));
      }
      for (Future<Answer> answer : sent) {
        answers.add(answer.get(120, TimeUnit.SECONDS));
      }
    } finally {
      clients.shutdownNow();
    }

    Map<Long, int[]> windows = new java.util.TreeMap<>(); // window end -> {admitted, refused}
    for (Answer answer : answers) {
      assertThat(answer.status()).as(answer.body()).isIn(200, 429);
      assertThat(answer.reset()).as("X-RateLimit-Reset of %s", answer.body()).isPositive();
      assertThat(answer.reset() % 60_000).as("a minute window's end").isZero();
      if (answer.status() == 429) {
        assertThat(answer.retryAfter()).as("Retry-After of %s", answer.body()).isNotNull();
        assertThat(Long.parseLong(answer.retryAfter())).isBetween(1L, 60L);
        assertThat(Tenant.parse(answer.body()).at("/error/code").asInt()).isEqualTo(429);
      }
      windows.computeIfAbsent(answer.reset(), w -> new int[2])[answer.status() == 200 ? 0 : 1]++;
    }
    windows.forEach(
        (end, counts) ->
            System.out.println(
                "window ending "
                    + Instant.ofEpochMilli(end)
                    + ": "
                    + counts[0]
                    + " admitted, "
                    + counts[1]
                    + " refused"));
    assertThat(windows.values()).as("a window that saw refusals").anyMatch(c -> c[1] > 0);
    windows.forEach(
        (end, counts) -> {
          assertThat(counts[0])
              .as("admitted in the window ending %s", Instant.ofEpochMilli(end))
              .isLessThanOrEqualTo(limit);
          if (counts[1] > 0) {
            assertThat(counts[0])
                .as("admitted in the window ending %s, which refused", Instant.ofEpochMilli(end))
                .isGreaterThanOrEqualTo(limit - chunk);
          }
        });
  }

  @Test
  void aDisputeReceivedByOneInstanceFreezesSpendingOnTheOtherAtOnce() throws Exception {
    Tenant tenant = Tenant.withCredits(first, "10.00");
    String paymentIntent = creditedCardPurchase(tenant);
    assertThat(chat(second, tenant.managementKey()).statusCode())
        .as("the second instance leases a share of the organization's credits and spends it")
        .isEqualTo(200);

    FakeStripe.Delivery disputed = stripe.dispute("charge.dispute.created", paymentIntent, 500, "");
    assertThat(stripe.deliver(first.uri("/api/v1/webhooks/stripe"), disputed).statusCode())
        .isEqualTo(200);

    // the second instance still held most of its lease: it is retired on the first's word
    long changed = System.nanoTime();
    await()
        .atMost(PROPAGATION)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> chat(second, tenant.managementKey()).statusCode() == 402);
    System.out.println(
        "dispute froze the other instance after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed)
            + " ms");
    JsonNode refused = Tenant.parse(chat(second, tenant.managementKey()).body()).path("error");
    assertThat(refused.path("metadata").path("budget").asText()).isEqualTo("frozen");
    // the retired lease's return is written behind the answers (settlement journal, then the
    // database)
    await("the second instance's lease returned")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                database.queryLong(
                        "SELECT count(*) FROM reservations WHERE org_id = ?::uuid", tenant.id())
                    == 0);
  }

  /**
   * A $5.00 card purchase of the tenant's organization, credited by its webhook through the first
   * instance; its payment intent.
   */
  private static String creditedCardPurchase(Tenant tenant) throws Exception {
    UUID checkout = UUID.randomUUID();
    String session = stripe.paidSession(checkout.toString(), 580);
    Timestamp now = Timestamp.from(Instant.now());
    // who started the checkout: a person of their own, whose personal organization is another one
    UUID buyer = UUID.randomUUID();
    String home = Tenant.withCredits(first, "0").id();
    try (Connection c = database.connect();
        PreparedStatement person =
            c.prepareStatement(
                "INSERT INTO users (id, email, display_name, personal_org_id, created_at,"
                    + " updated_at) VALUES (?, ?, 'Buyer', ?::uuid, ?, ?)");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO stripe_checkouts (id, org_id, created_by, credits_nanos, fee_nanos,"
                    + " total_nanos, currency, idempotency_key, stripe_session_id, checkout_url,"
                    + " state, created_at, opened_at) VALUES (?, ?::uuid, ?, 5000000000,"
                    + " 800000000, 5800000000, 'usd', ?, ?, ?, 'open', ?, ?)")) {
      person.setObject(1, buyer);
      person.setString(2, "buyer-" + buyer + "@example.com");
      person.setString(3, home);
      person.setTimestamp(4, now);
      person.setTimestamp(5, now);
      person.executeUpdate();
      insert.setObject(1, checkout);
      insert.setString(2, tenant.id());
      insert.setObject(3, buyer);
      insert.setString(4, "checkout-" + checkout);
      insert.setString(5, session);
      insert.setString(6, stripe.apiBase() + "/pay/" + session);
      insert.setTimestamp(7, now);
      insert.setTimestamp(8, now);
      insert.executeUpdate();
    }
    FakeStripe.Delivery paid = stripe.event("checkout.session.completed", session);
    assertThat(stripe.deliver(first.uri("/api/v1/webhooks/stripe"), paid).statusCode())
        .isEqualTo(200);
    return stripe.paymentIntentOf(session);
  }

  private record CreatedKey(String hash, String plaintext) {}

  private static CreatedKey createKey(Tenant tenant, String body) {
    HttpResponse<String> created =
        first.post("/api/v1/keys", tenant.managementKey(), body, Map.of());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode json = Tenant.parse(created.body());
    return new CreatedKey(json.path("data").path("hash").asText(), json.path("key").asText());
  }

  private static HttpResponse<String> chat(RunningSwitchboard instance, String key) {
    return instance.post("/api/v1/chat/completions", key, FLAT_CHAT, Map.of());
  }

  /** Polls the second instance until it refuses the key (at most a second); how long it took. */
  private static long awaitRefusedBySecond(CreatedKey key) {
    long changed = System.nanoTime();
    await()
        .atMost(PROPAGATION)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> second.get("/api/v1/key", key.plaintext()).statusCode() == 401);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
  }

  private static BigDecimal limitSeenBySecond(CreatedKey key) {
    HttpResponse<String> self = second.get("/api/v1/key", key.plaintext());
    assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    return Tenant.parse(self.body()).path("data").path("limit").decimalValue();
  }

  private static long keyUsageNanos(CreatedKey key) {
    return database.queryLong("SELECT usage_nanos FROM api_keys WHERE hash = ?", key.hash());
  }

  private static long nanos(BigDecimal usd) {
    return usd.movePointRight(9).longValueExact();
  }
}
