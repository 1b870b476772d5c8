package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.ANTHROPIC_AUTH;
import static dev.switchboard.simulator.SimClient.OPENAI_AUTH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordingAndAdminTest extends SimulatorTest {
  static final String BODY =
      "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @BeforeEach
  void clear() {
    simulator.clearRecordedRequests();
  }

  @Test
  void recordsMethodPathHeadersAndBodyWithCredentialsRedacted() {
    client.post(
        "/rec/v1/chat/completions", BODY, "Authorization", "Bearer sk-secret", "X-Custom", "kept");
    client.post("/rec/v1/messages", "{}", ANTHROPIC_AUTH);
    client.post(
        "/rec/v1beta/models/g:generateContent?key=AIza-secret",
        "{}",
        "x-goog-api-key",
        "AIza-secret2");

    List<RecordedRequest> recorded = simulator.recordedRequests("rec");

    assertThat(recorded).hasSize(3);
    RecordedRequest openAi = recorded.get(0);
    assertThat(openAi.provider()).isEqualTo("rec");
    assertThat(openAi.method()).isEqualTo("POST");
    assertThat(openAi.path()).isEqualTo("/rec/v1/chat/completions");
    assertThat(openAi.body()).isEqualTo(BODY);
    assertThat(openAi.headers())
        .containsEntry("authorization", "***")
        .containsEntry("x-custom", "kept");
    assertThat(recorded.get(1).headers())
        .containsEntry("x-api-key", "***")
        .containsEntry("anthropic-version", "2023-06-01");
    assertThat(recorded.get(2).path()).isEqualTo("/rec/v1beta/models/g:generateContent?key=***");
    assertThat(recorded.get(2).headers()).containsEntry("x-goog-api-key", "***");
    assertThat(recorded.toString()).doesNotContain("secret");
  }

  @Test
  void recordsRejectedRequestsToo() {
    client.post("/rec/v1/chat/completions", BODY);

    assertThat(simulator.recordedRequests("rec"))
        .singleElement()
        .satisfies(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
  }

  @Test
  void keepsOnlyTheMostRecentRequestsPerProvider() {
    for (int i = 0; i < RequestRecorder.CAPACITY_PER_PROVIDER + 5; i++) {
      client.post("/bounded/v1/chat/completions", "{\"n\":" + i + "}", OPENAI_AUTH);
    }

    List<RecordedRequest> recorded = simulator.recordedRequests("bounded");

    assertThat(recorded).hasSize(RequestRecorder.CAPACITY_PER_PROVIDER);
    assertThat(recorded.get(0).body()).isEqualTo("{\"n\":5}");
    assertThat(recorded.get(recorded.size() - 1).body()).isEqualTo("{\"n\":104}");
    assertThat(simulator.recordedRequests("other")).isEmpty();
  }

  @Test
  void adminEndpointConfiguresFaultsAndListsRequests() {
    HttpResponse<String> put =
        client.send(
            "PUT",
            "/_sim/providers/remote/faults",
            "{\"x-sim-status\": 502, \"failNextRequests\": 1, \"retryAfterSeconds\": \"3\"}");
    HttpResponse<String> first = client.post("/remote/v1/chat/completions", BODY, OPENAI_AUTH);
    HttpResponse<String> second = client.post("/remote/v1/chat/completions", BODY, OPENAI_AUTH);
    HttpResponse<String> configured = client.send("GET", "/_sim/providers/remote/faults", null);
    HttpResponse<String> requests = client.send("GET", "/_sim/providers/remote/requests", null);
    HttpResponse<String> deleted = client.send("DELETE", "/_sim/providers/remote/faults", null);
    HttpResponse<String> afterDelete = client.send("GET", "/_sim/providers/remote/faults", null);

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(first.statusCode()).isEqualTo(502);
    assertThat(first.headers().firstValue("retry-after")).contains("3");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(SimClient.json(configured.body()).toString())
        .isEqualTo("{\"status\":502,\"retryAfterSeconds\":3,\"failNextRequests\":1}");
    JsonNode recorded = SimClient.json(requests.body());
    assertThat(recorded).hasSize(2);
    assertThat(recorded.get(0).path("headers").path("authorization").asText()).isEqualTo("***");
    assertThat(recorded.get(0).path("body").asText()).isEqualTo(BODY);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(afterDelete.statusCode()).isEqualTo(404);
  }

  @Test
  void adminRejectsUnknownFaultFields() {
    HttpResponse<String> response =
        client.send("PUT", "/_sim/providers/remote/faults", "{\"explode\": true}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("explode");
  }

  @Test
  void adminHealthAndClearRequests() {
    client.post("/rec/v1/chat/completions", BODY, OPENAI_AUTH);

    HttpResponse<String> health = client.send("GET", "/_sim/health", null);
    HttpResponse<String> cleared = client.send("DELETE", "/_sim/requests", null);

    assertThat(SimClient.json(health.body()).path("status").asText()).isEqualTo("ok");
    assertThat(cleared.statusCode()).isEqualTo(204);
    assertThat(simulator.recordedRequests("rec")).isEmpty();
  }

  @Test
  void baseUrlAndPortDescribeTheBoundSocket() {
    assertThat(simulator.port()).isPositive();
    assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port());
  }
}
