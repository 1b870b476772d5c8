package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C stops the platform cleanly with every settlement written, and a restart on the same data
 * directory finds the organization, its credits and its generations as they were.
 */
class RestartIT {

  @Test
  void aCleanStopLosesNothingHoldsNothingAndARestartFindsTheSameData() throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-restart");
    RunningSwitchboard first = RunningSwitchboard.start(Map.of(), dataDir);
    Tenant tenant;
    List<String> generations = new ArrayList<>();
    BigDecimal spent = BigDecimal.ZERO;
    try {
      tenant = Tenant.withCredits(first, "2.00");
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> response =
            first.post(
                "/api/v1/chat/completions",
                tenant.managementKey(),
                "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"n"
                    + i
                    + "\"}]}",
                Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = Tenant.parse(response.body());
        generations.add(answer.get("id").asText());
        spent = spent.add(answer.at("/usage/cost").decimalValue());
      }
    } finally {
      // stopped right after the answers: their settlements may still be queued
      assertThat(first.stopGracefully(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(first.logText()).contains("Switchboard stopped: pending settlements written");

    RunningSwitchboard second = RunningSwitchboard.start(Map.of(), dataDir);
    try {
      // the stop handed its spend lease back: nothing stays held for an instance that is gone
      assertThat(second.tableRowCounts()).containsEntry("reservations", 0L);
      Tenant again = new Tenant(second, tenant.id(), tenant.managementKey());
      assertThat(again.totalUsage()).isEqualByComparingTo(spent);
      assertThat(again.balance()).isEqualByComparingTo(new BigDecimal("2.00").subtract(spent));
      for (String id : generations) {
        assertThat(second.get("/api/v1/generation?id=" + id, tenant.managementKey()).statusCode())
            .isEqualTo(200);
      }
    } finally {
      second.close();
    }
  }
}
