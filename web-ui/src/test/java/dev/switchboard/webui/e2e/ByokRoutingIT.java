package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import dev.switchboard.simulator.ProviderSimulator;
import dev.switchboard.simulator.RecordedRequest;
import dev.switchboard.simulator.SelfSignedCertificate;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests through an organization's own provider keys (BYOK), end to end: the key the simulator
 * receives, the fallback to the platform's key (or none with {@code always_use}), and the money: no
 * charge within the monthly allowance (two requests here), then 5% of the list price; the usage and
 * {@code /generation} say {@code is_byok} and what the provider charged.
 */
class ByokRoutingIT {

  private static final String CHAT =
      "{\"model\":\"%s\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static final String STREAM =
      "{\"model\":\"%s\",\"stream\":true,\"max_tokens\":5,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static ProviderSimulator simulator;

  /**
   * An organization's own provider at its own base URL: the simulator over TLS, as {@code
   * localhost} (allowed by the operator, since it is loopback), with a certificate the jar trusts.
   */
  private static ProviderSimulator ownProvider;

  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() throws Exception {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    SelfSignedCertificate certificate =
        SelfSignedCertificate.create(Files.createTempDirectory("byok-tls"), "localhost");
    ownProvider = ProviderSimulator.startTls("127.0.0.1", 0, certificate);
    Map<String, String> environment = new HashMap<>(ControlledSwitchboard.environment(simulator));
    environment.put("SWITCHBOARD_BYOK_FREE_REQUESTS", "2");
    environment.put("SWITCHBOARD_BYOK_ALLOWED_HOSTS", "localhost");
    environment.put("JAVA_TOOL_OPTIONS", certificate.trustStoreOptions());
    switchboard = RunningSwitchboard.start(environment);
  }

  @AfterAll
  static void stop() throws Exception {
    if (switchboard != null) {
      switchboard.close();
    }
    if (simulator != null) {
      simulator.close();
    }
    if (ownProvider != null) {
      ownProvider.close();
    }
  }

  @AfterEach
  void noFaults() {
    simulator.setProviderFaults("alpha", FaultSpec.NONE);
    simulator.clearRecordedRequests();
    ownProvider.setProviderFaults("alpha", FaultSpec.NONE);
    ownProvider.clearRecordedRequests();
  }

  @Test
  void theOrganizationsOwnKeyServesItsRequestsAtNoChargeWithinTheAllowance() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String own = putKey(tenant, "alpha", false);

    JsonNode answer = chat(tenant, "test/alpha");

    assertThat(credentials("alpha")).containsExactly(RecordedRequest.fingerprint(own));
    JsonNode usage = answer.path("usage");
    assertThat(usage.path("is_byok").asBoolean()).isTrue();
    assertThat(usage.path("cost").decimalValue()).isZero();
    BigDecimal upstream = usage.path("cost_details").path("upstream_inference_cost").decimalValue();
    assertThat(upstream).isPositive();
    JsonNode generation = generation(tenant, answer.path("id").asText());
    assertThat(generation.path("is_byok").asBoolean()).isTrue();
    assertThat(generation.path("total_cost").decimalValue()).isZero();
    assertThat(generation.path("upstream_inference_cost").decimalValue())
        .isEqualByComparingTo(upstream);
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");
  }

  @Test
  void afterTheMonthlyAllowanceEachRequestPaysFivePercentOfItsListPrice() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    putKey(tenant, "alpha", true);
    chat(tenant, "test/alpha");
    chat(tenant, "test/alpha");

    JsonNode usage = chat(tenant, "test/alpha").path("usage");

    BigDecimal upstream = usage.path("cost_details").path("upstream_inference_cost").decimalValue();
    BigDecimal fee = upstream.multiply(new BigDecimal("0.05")).setScale(9, RoundingMode.HALF_UP);
    assertThat(usage.path("is_byok").asBoolean()).isTrue();
    assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(fee);
    assertThat(tenant.totalUsage()).as("only the fee is charged").isEqualByComparingTo(fee);
  }

  @Test
  void anOrganizationWithoutCreditsUsesItsOwnKeyUntilItsAllowanceIsUsed() {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    putKey(tenant, "alpha", false);

    assertThat(chat(tenant, "test/alpha").path("usage").path("is_byok").asBoolean()).isTrue();
    assertThat(chat(tenant, "test/alpha").path("usage").path("is_byok").asBoolean()).isTrue();
    HttpResponse<String> third = post(tenant, "test/alpha");

    assertThat(third.statusCode()).as(third.body()).isEqualTo(402);
    ErrorShape.assertError(third, 402);
    assertThat(credentials("alpha")).hasSize(2);
  }

  @Test
  void aFailingOwnKeyFallsBackToThePlatformsKeyUnlessItIsAlwaysUsed() {
    Tenant fallsBack = Tenant.withCredits(switchboard, "1.00");
    String own = putKey(fallsBack, "alpha", false);
    simulator.setProviderFaults(
        "alpha", FaultSpec.builder().status(503).failNextRequests(1).build());

    JsonNode usage = chat(fallsBack, "test/alpha").path("usage");

    assertThat(credentials("alpha"))
        .containsExactly(
            RecordedRequest.fingerprint(own), RecordedRequest.fingerprint("alpha-secret"));
    assertThat(usage.path("is_byok").asBoolean()).isFalse();
    assertThat(usage.path("cost").decimalValue())
        .isEqualByComparingTo(
            usage.path("cost_details").path("upstream_inference_cost").decimalValue())
        .isPositive();

    simulator.clearRecordedRequests();
    Tenant always = Tenant.withCredits(switchboard, "1.00");
    String alwaysOwn = putKey(always, "alpha", true);
    simulator.setProviderFaults(
        "alpha", FaultSpec.builder().status(503).failNextRequests(1).build());

    HttpResponse<String> failed = post(always, "test/alpha");

    assertThat(failed.statusCode()).as(failed.body()).isGreaterThanOrEqualTo(500);
    assertThat(credentials("alpha")).containsExactly(RecordedRequest.fingerprint(alwaysOwn));
    assertThat(always.balance()).isEqualByComparingTo("1.00");
  }

  @Test
  void anOwnKeyWithItsOwnBaseUrlIsSentThereOverTlsAndThePlatformsKeyNever() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String baseUrl = ownProvider.baseUrl() + "/alpha/v1";
    String own = putKey(tenant, "alpha", baseUrl, false);

    JsonNode answer = chat(tenant, "test/alpha");
    String streamed = stream(tenant, "test/alpha");

    assertThat(answer.path("usage").path("is_byok").asBoolean()).isTrue();
    assertThat(streamed).contains("\"is_byok\":true").endsWith("data: [DONE]\n\n");
    List<RecordedRequest> received = ownProvider.recordedRequests("alpha");
    assertThat(received).hasSize(2);
    assertThat(received)
        .allSatisfy(
            r -> {
              assertThat(r.credential()).isEqualTo(RecordedRequest.fingerprint(own));
              assertThat(r.headers()).containsEntry("host", "localhost:" + ownProvider.port());
            });
    assertThat(credentials("alpha")).as("the catalog's URL was not called").isEmpty();

    // the organization's provider fails: the platform's key serves, at the catalog's URL only
    ownProvider.setProviderFaults(
        "alpha", FaultSpec.builder().status(503).failNextRequests(1).build());
    JsonNode fellBack = chat(tenant, "test/alpha");

    assertThat(fellBack.path("usage").path("is_byok").asBoolean()).isFalse();
    assertThat(credentials("alpha")).containsExactly(RecordedRequest.fingerprint("alpha-secret"));
    assertThat(ownProvider.recordedRequests("alpha").stream().map(RecordedRequest::credential))
        .as("the platform's key never goes to the organization's URL")
        .containsOnly(RecordedRequest.fingerprint(own));
  }

  @Test
  void everyLoopbackSpellingOfABaseUrlIsRefusedWithoutAConnectionOrARow() throws Exception {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread accepting =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket accepted = listener.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accepting.setDaemon(true);
      accepting.start();
      int port = listener.getLocalPort();

      for (String host :
          List.of(
              "127.0.0.1",
              "127.1",
              "2130706433",
              "0x7f000001",
              "0x7f.1",
              "0177.0.0.1",
              "017700000001",
              "[::1]",
              "[::ffff:127.0.0.1]",
              "[::ffff:7f00:1]",
              "[::127.0.0.1]",
              "0.0.0.0",
              "[::]")) {
        String baseUrl = "https://" + host + ":" + port + "/v1";
        HttpResponse<String> refused =
            switchboard.put(
                "/api/v1/byok/alpha",
                tenant.managementKey(),
                "{\"api_key\":\"sk-ssrf\",\"base_url\":\"" + baseUrl + "\"}");
        assertThat(refused.statusCode()).as(baseUrl + ": " + refused.body()).isEqualTo(400);
        ErrorShape.assertError(refused, 400);
      }

      assertThat(connections.get()).isZero();
    }
    assertThat(tenant.getJson("/api/v1/byok").path("data").size()).as("nothing stored").isZero();
  }

  @Test
  void aKeyIsCheckedWithOneCheapRequestThatNothingBills() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    HttpResponse<String> none = check(tenant, "alpha");
    assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
    ErrorShape.assertError(none, 404);
    String own = putKey(tenant, "alpha", false);

    HttpResponse<String> checked = check(tenant, "alpha");

    assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
    JsonNode works = ExactJson.parse(checked.body()).path("data");
    assertThat(works.path("works").asBoolean()).isTrue();
    assertThat(works.path("model").asText()).as("alpha's cheapest model").isEqualTo("test/flat");
    assertThat(works.path("error").isNull()).isTrue();
    List<RecordedRequest> sent = simulator.recordedRequests("alpha");
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).credential()).isEqualTo(RecordedRequest.fingerprint(own));
    assertThat(ExactJson.parse(sent.get(0).body()).path("max_tokens").asInt()).isEqualTo(1);

    simulator.setProviderFaults("alpha", FaultSpec.builder().status(401).build());
    HttpResponse<String> refused = check(tenant, "alpha");

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
    JsonNode failed = ExactJson.parse(refused.body()).path("data");
    assertThat(failed.path("works").asBoolean()).isFalse();
    assertThat(failed.path("error").asText()).isNotBlank();
    assertThat(refused.body()).doesNotContain(own);
    assertThat(tenant.balance()).as("nothing billed").isEqualByComparingTo("1.00");
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM generations WHERE org_id = ?::uuid", tenant.id()))
        .as("nothing recorded")
        .isZero();

    // with its own base URL, the check goes there
    putKey(tenant, "alpha", ownProvider.baseUrl() + "/alpha/v1", true);
    simulator.setProviderFaults("alpha", FaultSpec.NONE);
    assertThat(
            ExactJson.parse(check(tenant, "alpha").body()).path("data").path("works").asBoolean())
        .isTrue();
    assertThat(ownProvider.recordedRequests("alpha")).hasSize(1);
  }

  @Test
  void aProviderThePlatformHasNoKeyForServesThroughTheOrganizationsOwn() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    assertThat(post(tenant, "test/keyless").statusCode()).isEqualTo(503);
    String own = putKey(tenant, "keyless", false);

    JsonNode answer = chat(tenant, "test/keyless");

    assertThat(answer.path("usage").path("is_byok").asBoolean()).isTrue();
    assertThat(credentials("keyless")).containsExactly(RecordedRequest.fingerprint(own));
  }

  @Test
  void aDeletedOwnKeyIsNoLongerUsed() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    putKey(tenant, "alpha", true);
    HttpResponse<String> deleted = switchboard.delete("/api/v1/byok/alpha", tenant.managementKey());
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);

    JsonNode usage = chat(tenant, "test/alpha").path("usage");

    assertThat(usage.path("is_byok").asBoolean()).isFalse();
    assertThat(credentials("alpha")).containsExactly(RecordedRequest.fingerprint("alpha-secret"));
  }

  @Test
  void aCanaryKeyAndACanaryProviderSecretNeverShowInAnswersLogsTablesOrMetrics() throws Exception {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    HttpResponse<String> created =
        switchboard.post("/api/v1/keys", tenant.managementKey(), "{\"name\":\"canary\"}", Map.of());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String canaryKey = Tenant.parse(created.body()).path("key").asText();
    String canarySecret = "sk-canary-byok-" + UUID.randomUUID();
    List<HttpResponse<String>> answers = new java.util.ArrayList<>();
    answers.add(
        switchboard.put(
            "/api/v1/byok/alpha",
            canaryKey,
            "{\"api_key\":\"" + canarySecret + "\",\"always_use\":true}"));
    assertThat(answers.get(0).statusCode()).as("management keys only").isEqualTo(403);
    answers.add(
        switchboard.put(
            "/api/v1/byok/alpha",
            tenant.managementKey(),
            "{\"api_key\":\"" + canarySecret + "\",\"always_use\":true}"));
    assertThat(answers.get(1).statusCode()).isEqualTo(200);

    // success, streamed and not
    answers.add(post(canaryKey, CHAT.formatted("test/alpha")));
    answers.add(post(canaryKey, STREAM.formatted("test/alpha")));
    // the provider fails, with no fallback (always_use)
    simulator.setProviderFaults("alpha", FaultSpec.builder().status(503).build());
    answers.add(post(canaryKey, CHAT.formatted("test/alpha")));
    // the provider stalls mid-stream past the idle timeout
    simulator.setProviderFaults("alpha", FaultSpec.builder().stallAfter(1).build());
    answers.add(post(canaryKey, STREAM.formatted("test/alpha")));
    simulator.setProviderFaults("alpha", FaultSpec.NONE);
    // refused input, with the secret in it
    answers.add(post(canaryKey, "{\"model\":\"" + canarySecret));
    answers.add(
        switchboard.put(
            "/api/v1/byok/alpha",
            tenant.managementKey(),
            "{\"api_key\":\"" + canarySecret + "\",\"base_url\":\"http://" + canarySecret + "\"}"));
    answers.add(
        switchboard.put(
            "/api/v1/byok/no-such-provider",
            tenant.managementKey(),
            "{\"api_key\":\"" + canarySecret + "\"}"));
    answers.add(
        switchboard.put(
            "/api/v1/byok/alpha",
            tenant.managementKey(),
            "{\"api_key\":\"" + canarySecret + "\",\"surprise\":1}"));
    assertThat(answers.stream().map(HttpResponse::statusCode))
        .containsExactly(403, 200, 200, 200, 502, 200, 400, 400, 404, 400);
    assertThat(credentials("alpha")).contains(RecordedRequest.fingerprint(canarySecret));

    assertThat(answers).allSatisfy(a -> assertThat(a.body()).doesNotContain(canarySecret));
    assertThat(switchboard.logText()).doesNotContain(canaryKey).doesNotContain(canarySecret);
    assertThat(switchboard.get("/metrics", null).body())
        .doesNotContain(canaryKey)
        .doesNotContain(canarySecret);
    assertThat(tablesHolding(canaryKey)).isEmpty();
    assertThat(tablesHolding(canarySecret)).isEmpty();
    assertThat(tablesHolding(canarySecret.substring(15))).as("not even the random part").isEmpty();
  }

  /** The tables of the instance's database with a row whose text holds {@code text}. */
  private static List<String> tablesHolding(String text) throws java.sql.SQLException {
    List<String> holding = new java.util.ArrayList<>();
    try (java.sql.Connection c = switchboard.database()) {
      List<String> tables = new java.util.ArrayList<>();
      try (java.sql.ResultSet rows =
          c.createStatement()
              .executeQuery(
                  "SELECT quote_ident(table_name) FROM information_schema.tables"
                      + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      assertThat(tables).contains("provider_keys", "api_keys", "generations");
      for (String table : tables) {
        try (java.sql.PreparedStatement query =
            c.prepareStatement(
                "SELECT count(*) FROM " + table + " t WHERE strpos(t::text, ?) > 0")) {
          query.setString(1, text);
          try (java.sql.ResultSet count = query.executeQuery()) {
            count.next();
            if (count.getLong(1) > 0) {
              holding.add(table);
            }
          }
        }
      }
    }
    return holding;
  }

  private static HttpResponse<String> post(String key, String body) {
    return switchboard.post("/api/v1/chat/completions", key, body, Map.of());
  }

  /** Sets the tenant's key for {@code provider} and returns it. */
  private static String putKey(Tenant tenant, String provider, boolean alwaysUse) {
    return putKey(tenant, provider, null, alwaysUse);
  }

  /** Sets the tenant's key for {@code provider}, at {@code baseUrl} unless null, and returns it. */
  private static String putKey(Tenant tenant, String provider, String baseUrl, boolean alwaysUse) {
    String secret = "sk-own-" + provider + "-" + UUID.randomUUID();
    HttpResponse<String> put =
        switchboard.put(
            "/api/v1/byok/" + provider,
            tenant.managementKey(),
            "{\"api_key\":\""
                + secret
                + (baseUrl == null ? "" : "\",\"base_url\":\"" + baseUrl)
                + "\",\"always_use\":"
                + alwaysUse
                + "}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    return secret;
  }

  private static HttpResponse<String> post(Tenant tenant, String model) {
    return switchboard.post(
        "/api/v1/chat/completions", tenant.managementKey(), CHAT.formatted(model), Map.of());
  }

  private static JsonNode chat(Tenant tenant, String model) {
    HttpResponse<String> answer = post(tenant, model);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return ExactJson.parse(answer.body());
  }

  private static HttpResponse<String> check(Tenant tenant, String provider) {
    return switchboard.post(
        "/api/v1/byok/" + provider + "/check", tenant.managementKey(), "", Map.of());
  }

  /** A streamed answer's whole body. */
  private static String stream(Tenant tenant, String model) {
    HttpResponse<String> answer =
        switchboard.post(
            "/api/v1/chat/completions", tenant.managementKey(), STREAM.formatted(model), Map.of());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  private static JsonNode generation(Tenant tenant, String id) {
    return tenant.getJson("/api/v1/generation?id=" + id).path("data");
  }

  /** The fingerprints of the credentials the provider received, oldest first. */
  private static List<String> credentials(String provider) {
    return simulator.recordedRequests(provider).stream().map(RecordedRequest::credential).toList();
  }
}
