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

/** Health, Prometheus metrics per provider, and logs that never hold keys or prompt text. */
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
