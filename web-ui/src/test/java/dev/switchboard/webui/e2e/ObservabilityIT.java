package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health, Prometheus metrics per provider, endpoint health measured from traffic, and logs that
 * never hold keys or prompt text.
 */
@ExtendWith(SwitchboardExtension.class)
class ObservabilityIT {

  @Test
  void metricsCountRequestsLatencyAndUpstreamErrorsPerProvider(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(503).failNextRequests(1).build());
    String body =
        "{\"model\":\"test/failover\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(
            sb.switchboard()
                .post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of())
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> metrics = sb.switchboard().get("/metrics", null);

    assertThat(metrics.statusCode()).isEqualTo(200);
    String text = metrics.body();
    assertThat(text)
        .containsPattern(
            "switchboard_upstream_errors_total\\{[^}]*kind=\"unavailable\"[^}]*provider=\"alpha\"[^}]*} [1-9]");
    assertThat(text)
        .containsPattern(
            "switchboard_upstream_attempts_total\\{[^}]*outcome=\"ok\"[^}]*provider=\"beta\"[^}]*} [1-9]");
    assertThat(text)
        .containsPattern(
            "switchboard_requests_total\\{[^}]*api=\"chat\"[^}]*status=\"200\"[^}]*} [1-9]");
    assertThat(text)
        .containsPattern(
            "switchboard_request_duration_seconds_count\\{[^}]*api=\"chat\"[^}]*} [1-9]");
    assertThat(text)
        .containsPattern(
            "switchboard_time_to_first_token_seconds_count\\{[^}]*provider=\"beta\"[^}]*} [1-9]");
    // exposed before any request cost more than it reserved (the domain tests bill such a one)
    assertThat(text)
        .containsPattern("switchboard_reservation_overage_requests_total(\\{[^}]*})? [0-9]")
        .containsPattern("switchboard_reservation_overage_nanos_total(\\{[^}]*})? [0-9]");
    // how far the database is behind the answers (the settlement journal holds the rest)
    assertThat(text).containsPattern("switchboard_settlements_unwritten(\\{[^}]*})? [0-9]");
  }

  private static final String HEALTH_ENDPOINTS = "/api/v1/models/test/health/endpoints";

  /** The labels of the test/health endpoint's series, in any order. */
  private static String healthSeries(String name, String otherLabel) {
    return name
        + "\\{(?=[^}]*model=\"test/health\")(?=[^}]*provider=\"alpha\")"
        + (otherLabel == null ? "" : "(?=[^}]*" + otherLabel + ")")
        + "[^}]*} ";
  }

  private static JsonNode healthEndpoint(ControlledSwitchboard sb) {
    HttpResponse<String> answer = sb.switchboard().get(HEALTH_ENDPOINTS, null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return ExactJson.parse(answer.body()).path("data").path("endpoints").path(0);
  }

  @Test
  void endpointHealthIsMeasuredFromTrafficAndAnOpenBreakerShowsInMetrics(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    JsonNode before = healthEndpoint(sb);
    assertThat(before.has("uptime_last_30m")).as(before.toString()).isTrue();
    assertThat(before.path("uptime_last_30m").isNull()).as("no traffic yet").isTrue();
    assertThat(before.path("latency_last_30m").isNull()).isTrue();
    assertThat(before.path("throughput_last_30m").isNull()).isTrue();
    assertThat(before.path("circuit_state").asText()).isEqualTo("closed");

    String chat =
        "{\"model\":\"test/health\",\"max_tokens\":20,%s\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String key = tenant.managementKey();
    try {
      // the provider takes 40 ms to its first token: the latency the endpoint is measured at
      sb.faults("alpha", FaultSpec.builder().ttftMs(40).chunkDelayMs(2).build());
      for (String stream : new String[] {"\"stream\":true,", "\"stream\":true,", ""}) {
        HttpResponse<String> answered =
            sb.switchboard()
                .post("/api/v1/chat/completions", key, chat.formatted(stream), Map.of());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      }
      sb.faults("alpha", FaultSpec.builder().status(500).build());
      assertThat(
              sb.switchboard()
                  .post("/api/v1/chat/completions", key, chat.formatted(""), Map.of())
                  .statusCode())
          .isEqualTo(502);

      JsonNode measured = healthEndpoint(sb);
      assertThat(measured.path("uptime_last_30m").asDouble())
          .as(measured.toString())
          .isEqualTo(75.0);
      assertThat(measured.path("uptime_last_5m").asDouble()).isEqualTo(75.0);
      assertThat(measured.path("uptime_last_1d").asDouble()).isEqualTo(75.0);
      JsonNode latency = measured.path("latency_last_30m");
      assertThat(latency.path("p50").isNumber()).as(measured.toString()).isTrue();
      assertThat(latency.path("p50").asDouble())
          .as("seconds to the first token")
          .isBetween(0.035, 1.0);
      assertThat(latency.path("p99").asDouble())
          .isGreaterThanOrEqualTo(latency.path("p50").asDouble());
      assertThat(measured.path("throughput_last_30m").path("p50").asDouble())
          .as("output tokens a second")
          .isPositive();
      assertThat(measured.path("circuit_state").asText()).isEqualTo("closed");

      // a caller's own error says nothing about the endpoint
      sb.faults("alpha", FaultSpec.builder().status(400).build());
      assertThat(
              sb.switchboard()
                  .post("/api/v1/chat/completions", key, chat.formatted(""), Map.of())
                  .statusCode())
          .isEqualTo(400);
      assertThat(healthEndpoint(sb).path("uptime_last_30m").asDouble()).isEqualTo(75.0);

      // five failures in a row open the breaker
      sb.faults("alpha", FaultSpec.builder().status(503).build());
      for (int i = 0; i < 5; i++) {
        sb.switchboard().post("/api/v1/chat/completions", key, chat.formatted(""), Map.of());
      }
    } finally {
      sb.faults("alpha", FaultSpec.NONE);
    }

    JsonNode broken = healthEndpoint(sb);
    assertThat(broken.path("circuit_state").asText()).as(broken.toString()).isEqualTo("open");
    assertThat(broken.path("uptime_last_30m").asDouble()).isEqualTo(33.33);
    String metrics = sb.switchboard().get("/metrics", null).body();
    assertThat(metrics)
        .containsPattern(healthSeries("switchboard_endpoint_breaker_state", null) + "2(\\.0+)?\\b")
        .containsPattern(
            healthSeries("switchboard_endpoint_success_ratio", "window=\"30m\"") + "0\\.333")
        .containsPattern(
            healthSeries("switchboard_endpoint_success_ratio", "window=\"1d\"") + "0\\.333")
        .containsPattern(
            healthSeries("switchboard_endpoint_latency_seconds", "percentile=\"p50\"") + "0\\.\\d")
        .containsPattern(
            healthSeries("switchboard_endpoint_time_to_first_token_seconds", "percentile=\"p90\"")
                + "0\\.\\d")
        .containsPattern(
            healthSeries("switchboard_endpoint_throughput_tokens_per_second", "percentile=\"p50\"")
                + "[1-9]");
    // every catalog endpoint has its gauges before any traffic reaches it
    assertThat(metrics)
        .containsPattern(
            "switchboard_endpoint_breaker_state\\{(?=[^}]*model=\"test/keyless\")[^}]*} 0");
  }

  @Test
  void anEndpointWhoseBreakerOpenedIsTriedOnlyAfterTheOthers(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // each request a conversation of its own, so sticky routing does not send it to beta first
    String chat =
        "{\"model\":\"test/breaker\",\"max_tokens\":5,\"session_id\":\"%s\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try {
      sb.faults("alpha", FaultSpec.builder().status(503).build());
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> failedOver =
            sb.switchboard()
                .post(
                    "/api/v1/chat/completions",
                    tenant.managementKey(),
                    chat.formatted("failing-" + i),
                    Map.of());
        assertThat(failedOver.statusCode()).as(failedOver.body()).isEqualTo(200);
      }
      assertThat(breakerRequests(sb, "alpha")).as("alpha, the cheaper, tried first").isEqualTo(5);
      assertThat(breakerRequests(sb, "beta")).isEqualTo(5);

      HttpResponse<String> routedAround =
          sb.switchboard()
              .post(
                  "/api/v1/chat/completions",
                  tenant.managementKey(),
                  chat.formatted("after"),
                  Map.of());

      assertThat(routedAround.statusCode()).as(routedAround.body()).isEqualTo(200);
      assertThat(breakerRequests(sb, "alpha")).as("its breaker is open: not tried").isEqualTo(5);
      assertThat(breakerRequests(sb, "beta")).isEqualTo(6);
      JsonNode endpoints =
          ExactJson.parse(
                  sb.switchboard().get("/api/v1/models/test/breaker/endpoints", null).body())
              .path("data")
              .path("endpoints");
      Map<String, String> states = new java.util.HashMap<>();
      endpoints.forEach(
          e -> states.put(e.path("provider_slug").asText(), e.path("circuit_state").asText()));
      assertThat(states).containsEntry("alpha", "open").containsEntry("beta", "closed");
    } finally {
      sb.faults("alpha", FaultSpec.NONE);
    }
  }

  /** How many test/breaker requests the provider received. */
  private static long breakerRequests(ControlledSwitchboard sb, String provider) {
    return sb.sentTo(provider).stream().filter(r -> r.body().contains("m-breaker")).count();
  }

  @Test
  void aRequestCostingMoreThanItReservedIsBilledInFullAndCountedAsOverage(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // the provider reports far more prompt tokens than the gateway's estimate reserved for
    sb.faults("alpha", FaultSpec.builder().promptTokens(50_000).build());
    try {
      HttpResponse<String> answered =
          sb.switchboard()
              .post(
                  "/api/v1/chat/completions",
                  tenant.managementKey(),
                  "{\"model\":\"test/alpha\",\"max_tokens\":5,"
                      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                  Map.of());
      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      JsonNode usage = ExactJson.parse(answered.body()).path("usage");
      assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(50_000);
      BigDecimal cost = usage.path("cost").decimalValue();
      assertThat(cost).isGreaterThanOrEqualTo(new BigDecimal("0.05"));
      assertThat(tenant.totalUsage()).as("billed in full").isEqualByComparingTo(cost);
    } finally {
      sb.faults("alpha", FaultSpec.NONE);
    }
    assertThat(sb.switchboard().get("/metrics", null).body())
        .containsPattern("switchboard_reservation_overage_requests_total(\\{[^}]*})? [1-9]");
    JsonNode books =
        Tenant.parse(
                sb.switchboard()
                    .get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN)
                    .body())
            .path("data");
    assertThat(books.path("clean").asBoolean()).as(books.toString()).isTrue();
    assertThat(books.path("overage_requests").asLong()).isPositive();
  }

  @Test
  void logsNeverHoldKeysOrPromptText(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    String canaryPrompt = "canary-prompt-" + UUID.randomUUID();
    String unknownKey = "sk-sb-v1-" + "0".repeat(64) + "deadbeef";
    sb.faults("alpha", FaultSpec.builder().cutAfter(2).build());
    String stream =
        "{\"model\":\"test/alpha\",\"stream\":true,\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\""
            + canaryPrompt
            + "\"}]}";
    sb.switchboard().post("/api/v1/chat/completions", tenant.managementKey(), stream, Map.of());
    sb.switchboard().post("/api/v1/chat/completions", unknownKey, stream, Map.of());
    sb.switchboard()
        .post(
            "/api/v1/chat/completions",
            tenant.managementKey(),
            "{\"model\":" + canaryPrompt,
            Map.of());
    sb.switchboard()
        .post(
            "/api/v1/keys",
            tenant.managementKey(),
            "{\"name\":\"" + canaryPrompt + "\"}",
            Map.of());

    String log = sb.switchboard().logText();
    assertThat(log)
        .doesNotContain(canaryPrompt)
        .doesNotContain(tenant.managementKey())
        .doesNotContain(unknownKey);
    assertThat(log)
        .doesNotContain("alpha-secret")
        .doesNotContain(RunningSwitchboard.OPERATOR_TOKEN);
  }

  @Test
  void healthReportsLiveAndReady(RunningSwitchboard switchboard) {
    assertThat(switchboard.get("/health/live", null).body()).contains("\"status\":\"UP\"");
    assertThat(switchboard.get("/health/ready", null).body()).contains("\"status\":\"UP\"");
  }
}
