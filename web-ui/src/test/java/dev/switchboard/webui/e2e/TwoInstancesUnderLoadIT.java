package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import dev.switchboard.simulator.ProviderSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's acceptance under load: two jars on one PostgreSQL serving thousands of mixed requests
 * at once (successes streamed and not, providers failing with a 5xx, clients leaving mid-stream,
 * bad input), and one of the two killed (SIGKILL) while requests run. Money stays exact: nothing
 * stays reserved, no request with the credits for it is refused, every whole answer is billed
 * exactly what it said, and the books reconcile.
 */
class TwoInstancesUnderLoadIT {

  /** Short, so a killed instance's lease expires while the test watches. */
  private static final int LEASE_SECONDS = 5;

  private static final int CONCURRENT = 64;
  private static final String GRANT = "1000.00";

  private static ProviderSimulator simulator;
  private static SharedDatabase database;
  private static Map<String, String> environment;
  private static RunningSwitchboard first;
  private static RunningSwitchboard second;

  @BeforeAll
  static void start() {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    // gamma (test/claude) always fails with a 500; delta (test/gemini) streams slowly, so a
    // client can leave in the middle; alpha (test/alpha) answers at once
    simulator.setProviderFaults("gamma", FaultSpec.builder().status(500).build());
    simulator.setProviderFaults(
        "delta", FaultSpec.builder().chunkDelayMs(20).completionTokens(100).build());
    database = SharedDatabase.start();
    environment = new HashMap<>(ControlledSwitchboard.environment(simulator));
    environment.putAll(database.environment());
    environment.put("SWITCHBOARD_LEASE_SECONDS", String.valueOf(LEASE_SECONDS));
    // one after the other: the first migrates the schema, the second finds it current
    first = RunningSwitchboard.start(environment);
    second = RunningSwitchboard.start(environment);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {second, first, database, simulator}) {
      if (running != null) {
        running.close();
      }
    }
  }

  /** What a request of the mixed load is, and so what its answer must be. */
  private enum Kind {
    SUCCESS,
    STREAMED_SUCCESS,
    PROVIDER_FAILURE,
    CLIENT_ABORT,
    INVALID
  }

  private static Kind kindOf(int i) {
    return switch (i % 10) {
      case 0, 1, 2, 3 -> Kind.SUCCESS;
      case 4, 5, 6 -> Kind.STREAMED_SUCCESS;
      case 7 -> Kind.PROVIDER_FAILURE;
      case 8 -> Kind.CLIENT_ABORT;
      default -> Kind.INVALID;
    };
  }

  @Test
  void tenThousandMixedRequestsOverTwoInstancesLeaveNoReservationAndNoUnjustified402()
      throws Exception {
    int requests = 10_000;
    // $1,000 against worst cases of well under a cent: no request can be refused for money
    Tenant tenant = Tenant.withCredits(first, GRANT);
    String key = createKey(tenant, "{\"name\":\"mixed load\"}");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<Kind, Map<Integer, AtomicInteger>> statuses = new ConcurrentHashMap<>();
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    long started = System.nanoTime();
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        int n = i;
        RunningSwitchboard instance = i % 2 == 0 ? first : second;
        sent.add(
            pool.submit(
                () -> {
                  Kind kind = kindOf(n);
                  int status = send(http, instance, key, kind, n, wrong);
                  statuses
                      .computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                      .computeIfAbsent(status, s -> new AtomicInteger())
                      .incrementAndGet();
                  return null;
                }));
      }
      for (Future<?> request : sent) {
        request.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println(requests + " mixed requests in " + millis + " ms: " + statuses);

    assertThat(wrong).as("answers that were not what their kind must give").isEmpty();
    assertThat(statuses.values().stream().flatMap(s -> s.keySet().stream()))
        .as("no request with the credits for it is refused")
        .doesNotContain(402);
    // a provider's 500 is UNAVAILABLE: with no other endpoint to fail over to, the client gets 502
    assertThat(counts(statuses, Kind.PROVIDER_FAILURE)).containsOnlyKeys(502);
    assertThat(counts(statuses, Kind.SUCCESS)).containsOnlyKeys(200);
    assertThat(counts(statuses, Kind.STREAMED_SUCCESS)).containsOnlyKeys(200);
    assertThat(counts(statuses, Kind.CLIENT_ABORT)).containsOnlyKeys(200);
    assertThat(counts(statuses, Kind.INVALID)).containsOnlyKeys(400);
    int total =
        statuses.values().stream()
            .flatMap(s -> s.values().stream())
            .mapToInt(AtomicInteger::get)
            .sum();
    assertThat(total).isEqualTo(requests);

    awaitNothingHeld(tenant);
    assertBooksAgree(tenant);
  }

  @Test
  void killingOneOfTwoInstancesMidLoadLosesNoBilledAnswer() throws Exception {
    int requests = 1_000;
    int killAfterAnswers = 300;
    Tenant tenant = Tenant.withCredits(first, GRANT);
    String key = createKey(tenant, "{\"name\":\"killed mid-load\"}");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Map<String, Long> answered = new ConcurrentHashMap<>(); // generation id -> cost in nanos
    AtomicInteger answers = new AtomicInteger();
    AtomicInteger cut = new AtomicInteger();
    AtomicInteger servedBySurvivorAfterKill = new AtomicInteger();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean killed =
        new java.util.concurrent.atomic.AtomicBoolean();
    RunningSwitchboard victim = second;
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    long started = System.nanoTime();
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        boolean stream = i % 2 == 0;
        RunningSwitchboard instance = (i / 2) % 2 == 0 ? first : victim;
        HttpRequest request = chatRequest(instance.uri("/api/v1/chat/completions"), key, stream, i);
        sent.add(
            pool.submit(
                () -> {
                  try {
                    HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    statuses
                        .computeIfAbsent(response.statusCode(), c -> new AtomicInteger())
                        .incrementAndGet();
                    Optional<WholeAnswer> whole =
                        WholeAnswer.of(response, stream).filter(WholeAnswer::billed);
                    whole.ifPresentOrElse(
                        usage -> answered.put(usage.id(), usage.costNanos()), cut::incrementAndGet);
                    if (whole.isPresent() && instance == first && killed.get()) {
                      servedBySurvivorAfterKill.incrementAndGet();
                    }
                    if (answers.incrementAndGet() == killAfterAnswers) {
                      victim.kill();
                      killed.set(true);
                    }
                  } catch (IOException gone) {
                    cut.incrementAndGet(); // cut by the kill, or refused by the dead instance
                  }
                  return null;
                }));
      }
      for (Future<?> request : sent) {
        request.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      victim.kill();
    }
    System.out.println(
        requests
            + " requests with a kill after "
            + killAfterAnswers
            + " answers, in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
            + " ms: "
            + answered.size()
            + " whole, "
            + cut.get()
            + " cut or refused, "
            + servedBySurvivorAfterKill.get()
            + " whole answers from the survivor after the kill; statuses "
            + statuses);
    assertThat(killed).isTrue();
    assertThat(statuses)
        .as("answers that arrived: the kill cuts connections, it turns no answer into a refusal")
        .containsOnlyKeys(200);
    assertThat(answered.size()).as("whole answers").isGreaterThanOrEqualTo(killAfterAnswers);
    assertThat(cut.get()).as("requests the kill cut or refused").isPositive();
    assertThat(servedBySurvivorAfterKill.get()).as("the survivor kept serving").isPositive();

    second = RunningSwitchboard.start(environment, victim.dataDir());

    for (Map.Entry<String, Long> generation : answered.entrySet()) {
      assertThat(
              database.queryLong(
                  "SELECT coalesce(sum(cost_nanos), -1) FROM generations WHERE id = ?",
                  generation.getKey()))
          .as("generation record of %s", generation.getKey())
          .isEqualTo(generation.getValue());
    }
    await("the killed instance's lease released once expired")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                database.queryLong(
                        "SELECT count(*) FROM reservations WHERE org_id = ?::uuid"
                            + " AND expires_at < now()",
                        tenant.id())
                    == 0);
    awaitNothingHeld(tenant);
    assertBooksAgree(tenant);
  }

  /**
   * Sends one request of the mixed load and checks its answer is what its kind must give (adding
   * what is wrong to {@code wrong}); its status.
   */
  private static int send(
      HttpClient http,
      RunningSwitchboard instance,
      String key,
      Kind kind,
      int n,
      List<String> wrong)
      throws Exception {
    if (kind == Kind.CLIENT_ABORT) {
      return leaveAfterTheFirstChunk(instance, key, n, wrong);
    }
    String body =
        switch (kind) {
          case SUCCESS -> chatBody("test/alpha", false, n);
          case STREAMED_SUCCESS -> chatBody("test/alpha", true, n);
          case PROVIDER_FAILURE -> chatBody("test/claude", false, n);
          default -> n % 20 == 9 ? "{\"model\":\"test/alpha\",\"messages\":" : "{\"model\":1}";
        };
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(instance.uri("/api/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      if (WholeAnswer.of(response, kind == Kind.STREAMED_SUCCESS)
          .filter(WholeAnswer::billed)
          .isEmpty()) {
        wrong.add(kind + " " + n + ": not a whole answer: " + response.body());
      }
    } else if (response.statusCode() != 502 && response.statusCode() != 400) {
      wrong.add(kind + " " + n + ": " + response.statusCode() + " " + response.body());
    }
    return response.statusCode();
  }

  /**
   * A streamed request whose client closes the connection once the first data chunk arrived: a raw
   * socket, closed explicitly, since an HTTP client might drain the body instead.
   */
  private static int leaveAfterTheFirstChunk(
      RunningSwitchboard instance, String key, int n, List<String> wrong) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", instance.port())) {
      socket.setSoTimeout(30_000);
      RawChatRequest.send(socket, key, chatBody("test/gemini", true, n));
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = lines.readLine();
      int status = statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
      if (status != 200) {
        wrong.add("CLIENT_ABORT " + n + ": " + statusLine);
        return status;
      }
      String line;
      while ((line = lines.readLine()) != null && !line.startsWith("data: ")) {
        // headers, keep-alive comments
      }
      if (line == null || line.contains("[DONE]")) {
        wrong.add("CLIENT_ABORT " + n + ": the stream ended before the client left: " + line);
      }
      return status;
    } // closing the socket leaves mid-stream
  }

  /** No reservation, lease or hold of the organization remains once its keys are idle. */
  private static void awaitNothingHeld(Tenant tenant) {
    await("every reservation and lease of the organization returned")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(
                      database.queryLong(
                          "SELECT count(*) FROM reservations WHERE org_id = ?::uuid", tenant.id()))
                  .as("reservations")
                  .isZero();
              assertThat(
                      database.queryLong(
                          "SELECT reserved_nanos FROM credit_holds WHERE org_id = ?::uuid",
                          tenant.id()))
                  .as("credit_holds.reserved_nanos")
                  .isZero();
              assertThat(
                      database.queryLong(
                          "SELECT coalesce(sum(h.reserved_nanos), 0) FROM key_holds h"
                              + " JOIN api_keys k ON k.id = h.api_key_id"
                              + " WHERE k.org_id = ?::uuid",
                          tenant.id()))
                  .as("key_holds.reserved_nanos")
                  .isZero();
            });
  }

  /**
   * The balance is the grant less the organization's generations; the reconciler finds no drift.
   */
  private static void assertBooksAgree(Tenant tenant) {
    long spent =
        database.queryLong(
            "SELECT coalesce(sum(cost_nanos), 0) FROM generations WHERE org_id = ?::uuid",
            tenant.id());
    assertThat(spent).as("what the organization spent").isPositive();
    assertThat(
            database.queryLong(
                "SELECT balance_nanos FROM ledger_accounts WHERE org_id = ?::uuid"
                    + " AND kind = 'org_credits'",
                tenant.id()))
        .as("the balance: the grant less the cost of the generations")
        .isEqualTo(new BigDecimal(GRANT).movePointRight(9).longValueExact() - spent);
    for (RunningSwitchboard instance : List.of(first, second)) {
      HttpResponse<String> books =
          instance.get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN);
      assertThat(books.statusCode()).as(books.body()).isEqualTo(200);
      JsonNode report = Tenant.parse(books.body()).path("data");
      assertThat(report.path("drift").isArray()).as(books.body()).isTrue();
      assertThat(report.path("drift")).as(books.body()).isEmpty();
      assertThat(report.path("unbalanced_transactions").asLong()).as(books.body()).isZero();
      assertThat(report.path("clean").asBoolean()).as(books.body()).isTrue();
    }
  }

  private static Map<Integer, AtomicInteger> counts(
      Map<Kind, Map<Integer, AtomicInteger>> statuses, Kind kind) {
    return statuses.getOrDefault(kind, Map.of());
  }

  private static String createKey(Tenant tenant, String body) {
    HttpResponse<String> created =
        first.post("/api/v1/keys", tenant.managementKey(), body, Map.of());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Tenant.parse(created.body()).path("key").asText();
  }

  private static String chatBody(String model, boolean stream, int n) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"max_tokens\":24,\"messages\":[{\"role\":\"user\",\"content\":\"Say something,"
        + " number "
        + n
        + "\"}]}";
  }

  private static HttpRequest chatRequest(URI chat, String key, boolean stream, int n) {
    return HttpRequest.newBuilder(chat)
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chatBody("test/alpha", stream, n)))
        .build();
  }
}
