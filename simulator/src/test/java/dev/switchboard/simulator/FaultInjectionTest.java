package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.ANTHROPIC_AUTH;
import static dev.switchboard.simulator.SimClient.GEMINI_AUTH;
import static dev.switchboard.simulator.SimClient.OPENAI_AUTH;
import static dev.switchboard.simulator.SimClient.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SimulatorTest {
  static final String OPENAI = "/acme/v1/chat/completions";
  static final String ANTHROPIC = "/acme/v1/messages";
  static final String GEMINI_SSE = "/acme/v1beta/models/gemini-sim:streamGenerateContent?alt=sse";
  static final String OPENAI_BODY =
      "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String OPENAI_STREAM =
      "{\"model\":\"gpt-sim\",\"stream\":true,\"stream_options\":"
          + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String ANTHROPIC_BODY =
      "{\"model\":\"claude-sim\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String ANTHROPIC_STREAM =
      ANTHROPIC_BODY.replace("{\"model\"", "{\"stream\":true,\"model\"");
  static final String GEMINI_BODY =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";

  @Test
  void statusFaultUsesEachFormatsNativeErrorAndSetsRetryAfter() {
    HttpResponse<String> openAi =
        client.post(
            OPENAI,
            OPENAI_BODY,
            concat(OPENAI_AUTH, "x-sim-status", "429", "x-sim-retry-after", "2"));
    HttpResponse<String> anthropic =
        client.post(ANTHROPIC, ANTHROPIC_BODY, concat(ANTHROPIC_AUTH, "x-sim-status", "529"));
    HttpResponse<String> gemini =
        client.post(
            "/acme/v1beta/models/g:generateContent",
            GEMINI_BODY,
            concat(GEMINI_AUTH, "x-sim-status", "503"));

    assertThat(openAi.statusCode()).isEqualTo(429);
    assertThat(openAi.headers().firstValue("retry-after")).contains("2");
    JsonNode openAiError = SimClient.json(openAi.body()).path("error");
    assertThat(openAiError.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(openAiError.path("message").asText()).isNotEmpty();
    assertThat(anthropic.statusCode()).isEqualTo(529);
    assertThat(SimClient.json(anthropic.body()).path("error").path("type").asText())
        .isEqualTo("overloaded_error");
    assertThat(gemini.statusCode()).isEqualTo(503);
    assertThat(SimClient.json(gemini.body()).path("error").path("status").asText())
        .isEqualTo("UNAVAILABLE");
  }

  @Test
  void statusFaultBodyHeaderReplacesTheBodyVerbatim() {
    HttpResponse<String> response =
        client.post(
            OPENAI,
            OPENAI_BODY,
            concat(OPENAI_AUTH, "x-sim-status", "502", "x-sim-body", "upstream exploded"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("upstream exploded");
  }

  @Test
  void statusFaultOnAStreamingRequestIsAPlainJsonError() {
    SimClient.Transcript t =
        client.stream(OPENAI, OPENAI_STREAM, concat(OPENAI_AUTH, "x-sim-status", "500"));

    assertThat(t.status()).isEqualTo(500);
    assertThat(t.contentType()).startsWith("application/json");
  }

  @Test
  void cutAfterClosesTheConnectionWithoutTheTail() {
    SimClient.Transcript openAi =
        client.stream(OPENAI, OPENAI_STREAM, concat(OPENAI_AUTH, "x-sim-cut-after", "3"));
    SimClient.Transcript anthropic =
        client.stream(ANTHROPIC, ANTHROPIC_STREAM, concat(ANTHROPIC_AUTH, "x-sim-cut-after", "2"));
    SimClient.Transcript gemini =
        client.stream(GEMINI_SSE, GEMINI_BODY, concat(GEMINI_AUTH, "x-sim-cut-after", "1"));

    assertThat(openAi.endedAbruptly()).isTrue();
    assertThat(openAi.events()).hasSize(1 + 3);
    assertThat(openAi.data()).doesNotContain("[DONE]");
    assertThat(anthropic.endedAbruptly()).isTrue();
    assertThat(anthropic.names())
        .containsExactly(
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta");
    assertThat(gemini.endedAbruptly()).isTrue();
    assertThat(gemini.events()).hasSize(1);
    assertThat(gemini.jsonEvents().get(0).has("usageMetadata")).isFalse();
  }

  @Test
  void cutAfterMoreChunksThanExistWithholdsOnlyTheTail() {
    SimClient.Transcript t =
        client.stream(
            OPENAI,
            OPENAI_STREAM,
            concat(OPENAI_AUTH, "x-sim-cut-after", "1000", "x-sim-completion-tokens", "5"));

    assertThat(t.endedAbruptly()).isTrue();
    assertThat(t.events()).hasSize(1 + 5);
  }

  @Test
  void malformedAfterInsertsOneNonJsonEventAndContinues() {
    SimClient.Transcript t =
        client.stream(
            OPENAI,
            OPENAI_STREAM,
            concat(OPENAI_AUTH, "x-sim-malformed-after", "2", "x-sim-completion-tokens", "4"));

    List<String> data = t.data();
    // role, 2 content, MALFORMED, 2 content, finish, usage, [DONE]
    assertThat(data).hasSize(9);
    assertThat(data.get(3)).startsWith("{");
    assertThatThrownBy(() -> SimClient.JSON.readTree(data.get(3))).isInstanceOf(IOException.class);
    for (int i = 0; i < data.size() - 1; i++) {
      if (i != 3) {
        SimClient.json(data.get(i));
      }
    }
    assertThat(data).last().isEqualTo("[DONE]");
    assertThat(SimClient.json(data.get(7)).path("usage").path("completion_tokens").asInt())
        .isEqualTo(4);
    assertThat(t.endedAbruptly()).isFalse();
  }

  @Test
  void errorAfterSendsTheInBandErrorAndEndsTheStream() {
    SimClient.Transcript openAi =
        client.stream(OPENAI, OPENAI_STREAM, concat(OPENAI_AUTH, "x-sim-error-after", "2"));
    SimClient.Transcript anthropic =
        client.stream(
            ANTHROPIC, ANTHROPIC_STREAM, concat(ANTHROPIC_AUTH, "x-sim-error-after", "2"));
    SimClient.Transcript gemini =
        client.stream(GEMINI_SSE, GEMINI_BODY, concat(GEMINI_AUTH, "x-sim-error-after", "2"));

    assertThat(openAi.endedAbruptly()).isFalse();
    assertThat(openAi.events()).hasSize(1 + 2 + 1);
    assertThat(SimClient.json(openAi.data().get(3)).path("error").path("type").asText())
        .isEqualTo("server_error");
    assertThat(anthropic.endedAbruptly()).isFalse();
    assertThat(anthropic.names()).last().isEqualTo("error");
    JsonNode anthropicError = anthropic.events().get(anthropic.events().size() - 1).json();
    assertThat(anthropicError.path("type").asText()).isEqualTo("error");
    assertThat(anthropicError.path("error").path("type").asText()).isEqualTo("overloaded_error");
    assertThat(gemini.events()).hasSize(3);
    assertThat(gemini.jsonEvents().get(2).path("error").path("code").asInt()).isEqualTo(503);
  }

  @Test
  void noDoneLeavesOutOnlyTheEndMarkerAndEndsTheResponseCleanly() {
    String[] fiveTokens = {"x-sim-completion-tokens", "5"};
    SimClient.Transcript openAi =
        client.stream(
            OPENAI,
            OPENAI_STREAM,
            concat(concat(OPENAI_AUTH, fiveTokens), "x-sim-no-done", "true"));
    SimClient.Transcript anthropic =
        client.stream(
            ANTHROPIC,
            ANTHROPIC_STREAM,
            concat(concat(ANTHROPIC_AUTH, fiveTokens), "x-sim-no-done", "true"));
    SimClient.Transcript geminiWhole =
        client.stream(GEMINI_SSE, GEMINI_BODY, concat(GEMINI_AUTH, fiveTokens));
    SimClient.Transcript gemini =
        client.stream(
            GEMINI_SSE, GEMINI_BODY, concat(concat(GEMINI_AUTH, fiveTokens), "x-sim-no-done", "1"));

    // role, 5 content, finish, usage: everything but [DONE]
    assertThat(openAi.endedAbruptly()).isFalse();
    assertThat(openAi.data()).hasSize(1 + 5 + 2).doesNotContain("[DONE]");
    List<JsonNode> openAiChunks = openAi.jsonEvents();
    assertThat(openAiChunks.get(6).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(openAiChunks.get(7).at("/usage/completion_tokens").asInt()).isEqualTo(5);
    // message_delta still carries the stop reason and the usage; only message_stop is left out
    assertThat(anthropic.endedAbruptly()).isFalse();
    assertThat(anthropic.names()).doesNotContain("message_stop").last().isEqualTo("message_delta");
    JsonNode messageDelta = anthropic.events().get(anthropic.events().size() - 1).json();
    assertThat(messageDelta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    assertThat(messageDelta.at("/usage/output_tokens").asInt()).isEqualTo(5);
    // Gemini has no end marker: the stream is the same
    assertThat(gemini.endedAbruptly()).isFalse();
    assertThat(gemini.events()).hasSameSizeAs(geminiWhole.events());
    JsonNode geminiLast = gemini.events().get(gemini.events().size() - 1).json();
    assertThat(geminiLast.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void endAfterEndsTheResponseCleanlyWithoutTheTail() {
    SimClient.Transcript openAi =
        client.stream(OPENAI, OPENAI_STREAM, concat(OPENAI_AUTH, "x-sim-end-after", "3"));
    SimClient.Transcript anthropic =
        client.stream(ANTHROPIC, ANTHROPIC_STREAM, concat(ANTHROPIC_AUTH, "x-sim-end-after", "2"));
    SimClient.Transcript gemini =
        client.stream(GEMINI_SSE, GEMINI_BODY, concat(GEMINI_AUTH, "x-sim-end-after", "1"));

    // unlike a cut, the chunked body is terminated: the client sees a normal end of the response
    assertThat(openAi.endedAbruptly()).isFalse();
    assertThat(openAi.events()).hasSize(1 + 3);
    assertThat(openAi.jsonEvents())
        .allSatisfy(e -> assertThat(e.at("/choices/0/finish_reason").isNull()).isTrue());
    assertThat(anthropic.endedAbruptly()).isFalse();
    assertThat(anthropic.names())
        .containsExactly(
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta");
    assertThat(gemini.endedAbruptly()).isFalse();
    assertThat(gemini.events()).hasSize(1);
    assertThat(gemini.jsonEvents().get(0).at("/candidates/0").has("finishReason")).isFalse();
  }

  @Test
  void noUsageOmitsUsageFromBodiesAndStreams() {
    String[] openAiHeaders = concat(OPENAI_AUTH, "x-sim-no-usage", "true");
    JsonNode openAiBody = client.postJson(OPENAI, OPENAI_BODY, openAiHeaders);
    SimClient.Transcript openAiStream = client.stream(OPENAI, OPENAI_STREAM, openAiHeaders);
    String[] anthropicHeaders = concat(ANTHROPIC_AUTH, "x-sim-no-usage", "true");
    JsonNode anthropicBody = client.postJson(ANTHROPIC, ANTHROPIC_BODY, anthropicHeaders);
    SimClient.Transcript anthropicStream =
        client.stream(ANTHROPIC, ANTHROPIC_STREAM, anthropicHeaders);
    SimClient.Transcript geminiStream =
        client.stream(GEMINI_SSE, GEMINI_BODY, concat(GEMINI_AUTH, "x-sim-no-usage", "true"));

    assertThat(openAiBody.has("usage")).isFalse();
    assertThat(openAiStream.jsonEvents()).allSatisfy(e -> assertThat(e.has("usage")).isFalse());
    assertThat(openAiStream.data()).last().isEqualTo("[DONE]");
    assertThat(anthropicBody.has("usage")).isFalse();
    assertThat(anthropicStream.jsonEvents())
        .allSatisfy(
            e -> {
              assertThat(e.has("usage")).isFalse();
              assertThat(e.path("message").has("usage")).isFalse();
            });
    assertThat(geminiStream.jsonEvents())
        .allSatisfy(e -> assertThat(e.has("usageMetadata")).isFalse());
  }

  @Test
  void resetDropsTheConnectionWithoutAResponse() {
    assertThatThrownBy(
            () -> client.post(OPENAI, OPENAI_BODY, concat(OPENAI_AUTH, "x-sim-reset", "true")))
        .isInstanceOf(UncheckedIOException.class);

    assertThat(simulator.recordedRequests("acme"))
        .last()
        .satisfies(r -> assertThat(r.headers()).containsEntry("x-sim-reset", "true"));
  }

  @Test
  void stallStopsWritingAndKeepsTheConnectionOpenUntilTheClientTimesOut() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
      socket.setSoTimeout(500);
      List<String> dataLines =
          sendRaw(socket, OPENAI, OPENAI_STREAM, "Authorization: Bearer k", "x-sim-stall-after: 2");

      BufferedReader reader = reader(socket);
      assertThatThrownBy(() -> readDataLines(reader, dataLines, 4))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(dataLines).hasSize(1 + 2);
    }
  }

  @Test
  void closeEndsStalledStreamsPromptly() throws IOException {
    ProviderSimulator own = ProviderSimulator.start("127.0.0.1", 0);
    try (Socket socket = new Socket("127.0.0.1", own.port())) {
      socket.setSoTimeout(5000);
      List<String> dataLines =
          sendRaw(socket, OPENAI, OPENAI_STREAM, "Authorization: Bearer k", "x-sim-stall-after: 1");
      BufferedReader reader = reader(socket);
      readDataLines(reader, dataLines, 2);

      long started = System.nanoTime();
      own.close();
      long closeMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(closeMillis).isLessThan(2000);
      // The stream was never finished: the socket ends without the terminating chunk.
      StringBuilder rest = new StringBuilder();
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          rest.append(line).append('\n');
        }
      } catch (IOException resetByPeer) {
        // also an acceptable way for the connection to end
      }
      assertThat(rest.toString()).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
    } finally {
      own.close();
    }
  }

  @Test
  void delayHoldsTheResponseHeaders() {
    long started = System.nanoTime();
    HttpResponse<String> response =
        client.post(OPENAI, OPENAI_BODY, concat(OPENAI_AUTH, "x-sim-delay-ms", "300"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void ttftDelaysTheFirstContentChunkAfterTheRoleChunk() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
      socket.setSoTimeout(5000);
      List<String> dataLines =
          sendRaw(socket, OPENAI, OPENAI_STREAM, "Authorization: Bearer k", "x-sim-ttft-ms: 400");
      BufferedReader reader = reader(socket);
      readDataLines(reader, dataLines, 1);
      long roleAt = System.nanoTime();
      readDataLines(reader, dataLines, 2);
      long firstContentAt = System.nanoTime();

      assertThat(
              SimClient.json(dataLines.get(0))
                  .path("choices")
                  .get(0)
                  .path("delta")
                  .path("role")
                  .asText())
          .isEqualTo("assistant");
      assertThat((firstContentAt - roleAt) / 1_000_000).isGreaterThanOrEqualTo(350);
    }
  }

  @Test
  void chunkDelaySpacesContentChunks() {
    long started = System.nanoTime();
    SimClient.Transcript t =
        client.stream(
            OPENAI,
            OPENAI_STREAM,
            concat(OPENAI_AUTH, "x-sim-chunk-delay-ms", "60", "x-sim-completion-tokens", "5"));

    assertThat(t.events()).hasSize(1 + 5 + 3);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(4 * 60);
  }

  @Test
  void failNextRequestsFailsExactlyThatManyThenRecovers() {
    simulator.setProviderFaults(
        "flaky", FaultSpec.builder().status(503).retryAfterSeconds(1).failNextRequests(2).build());
    try {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(
            client.post("/flaky/v1/chat/completions", OPENAI_BODY, OPENAI_AUTH).statusCode());
      }
      assertThat(statuses).containsExactly(503, 503, 200, 200);
      assertThat(client.post("/acme/v1/chat/completions", OPENAI_BODY, OPENAI_AUTH).statusCode())
          .isEqualTo(200);
    } finally {
      simulator.setProviderFaults("flaky", null);
    }
  }

  @Test
  void failEveryFailsEveryNthRequestAndAnswersTheOthers() {
    simulator.setProviderFaults(
        "flapping", FaultSpec.builder().failEvery(3).completionTokens(4).build());
    try {
      List<Integer> statuses = new ArrayList<>();
      List<Integer> completionTokens = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response =
            client.post("/flapping/v1/chat/completions", OPENAI_BODY, OPENAI_AUTH);
        statuses.add(response.statusCode());
        if (response.statusCode() == 200) {
          completionTokens.add(
              SimClient.json(response.body()).at("/usage/completion_tokens").asInt());
        }
      }
      assertThat(statuses).containsExactly(200, 200, 503, 200, 200, 503);
      // the answers keep the provider's other faults
      assertThat(completionTokens).containsOnly(4);
    } finally {
      simulator.setProviderFaults("flapping", null);
    }
  }

  @Test
  void stallEveryStallsEveryNthAnsweredRequestAndNotTheOthers() throws IOException {
    simulator.setProviderFaults(
        "hanging",
        FaultSpec.builder().failEvery(2).stallEvery(3).stallAfter(2).completionTokens(4).build());
    try {
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        outcomes.add(streamOutcome("/hanging/v1/chat/completions"));
      }
      // requests 2, 4, 6, 8 get the 503; of the answered ones (1, 3, 5, 7) the third stalls after
      // two content chunks (the role chunk comes first), the others are whole (role, four content
      // chunks, the finish chunk, usage, [DONE])
      assertThat(outcomes)
          .containsExactly(
              "done after 8 data lines",
              "503",
              "done after 8 data lines",
              "503",
              "stalled after 3 data lines",
              "503",
              "done after 8 data lines",
              "503");
    } finally {
      simulator.setProviderFaults("hanging", null);
    }
  }

  @Test
  void stallEveryWithoutStallAfterStallsBeforeTheFirstContentAndAnswersWholeAnswersWhole()
      throws IOException {
    simulator.setProviderFaults(
        "hanging", FaultSpec.builder().stallEvery(1).completionTokens(4).build());
    try {
      String streamed = streamOutcome("/hanging/v1/chat/completions");
      HttpResponse<String> whole =
          client.post("/hanging/v1/chat/completions", OPENAI_BODY, OPENAI_AUTH);

      assertThat(streamed).isEqualTo("stalled after 1 data lines");
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(SimClient.json(whole.body()).at("/usage/completion_tokens").asInt()).isEqualTo(4);
    } finally {
      simulator.setProviderFaults("hanging", null);
    }
  }

  /**
   * Sends the OpenAI stream request and says how it went: the status when not 200, else whether it
   * reached {@code [DONE]} or stopped (nothing more within 500 ms) after how many data lines.
   */
  private static String streamOutcome(String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
      socket.setSoTimeout(500);
      List<String> dataLines = sendRaw(socket, path, OPENAI_STREAM, "Authorization: Bearer k");
      BufferedReader reader = reader(socket);
      String statusLine = reader.readLine();
      if (!statusLine.startsWith("HTTP/1.1 200")) {
        return statusLine.split(" ")[1];
      }
      try {
        while (!dataLines.contains("[DONE]")) {
          readDataLines(reader, dataLines, dataLines.size() + 1);
        }
      } catch (SocketTimeoutException stalled) {
        return "stalled after " + dataLines.size() + " data lines";
      }
      return "done after " + dataLines.size() + " data lines";
    }
  }

  @Test
  void failEveryCannotBeCombinedWithFailNextRequests() {
    assertThatThrownBy(
            () ->
                simulator.setProviderFaults(
                    "flapping", FaultSpec.builder().failEvery(2).failNextRequests(1).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be combined");
  }

  @Test
  void headerFaultsOverrideProviderFaultsFieldByField() {
    simulator.setProviderFaults(
        "down", FaultSpec.builder().status(500).retryAfterSeconds(7).build());
    try {
      HttpResponse<String> plain =
          client.post("/down/v1/chat/completions", OPENAI_BODY, OPENAI_AUTH);
      HttpResponse<String> overridden =
          client.post(
              "/down/v1/chat/completions", OPENAI_BODY, concat(OPENAI_AUTH, "x-sim-status", "429"));

      assertThat(plain.statusCode()).isEqualTo(500);
      assertThat(overridden.statusCode()).isEqualTo(429);
      assertThat(overridden.headers().firstValue("retry-after")).contains("7");
    } finally {
      simulator.setProviderFaults("down", null);
    }
    assertThat(client.post("/down/v1/chat/completions", OPENAI_BODY, OPENAI_AUTH).statusCode())
        .isEqualTo(200);
  }

  @Test
  void invalidFaultHeaderIsA400() {
    HttpResponse<String> response =
        client.post(OPENAI, OPENAI_BODY, concat(OPENAI_AUTH, "x-sim-cut-after", "soon"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(response.body()).path("error").path("message").asText())
        .contains("cutAfter");
  }

  /** Sends a raw HTTP/1.1 request and returns the list that {@link #readDataLines} fills. */
  private static List<String> sendRaw(Socket socket, String path, String body, String... headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request =
        new StringBuilder(
            "POST "
                + path
                + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: "
                + bytes.length
                + "\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.flush();
    return new ArrayList<>();
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Reads until {@code target} SSE data lines were seen (chunked framing lines are skipped). */
  private static void readDataLines(BufferedReader reader, List<String> into, int target)
      throws IOException {
    while (into.size() < target) {
      String line = reader.readLine();
      if (line == null) {
        throw new IOException("connection closed after " + into.size() + " data lines");
      }
      if (line.startsWith("data: ")) {
        into.add(line.substring(6));
      }
    }
  }
}
