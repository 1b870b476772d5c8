package dev.switchboard.api.provider.gemini;

import static dev.switchboard.api.provider.gemini.ChatRequestBuilder.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.SseParser;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.StreamEvent;
import dev.switchboard.simulator.ProviderSimulator;
import dev.switchboard.simulator.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mapped requests sent to the in-repo Gemini simulator, and its real answers mapped back. */
class GeminiSimulatorRoundTripTest {

  private static final String WEATHER_TOOL =
      """
      [{"type":"function","function":{"name":"get_weather","description":"Current weather",
        "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
          "additionalProperties":false,"required":["city"],
          "properties":{"city":{"type":"string"},"unit":{"type":"string"}}}}}]
      """;

  private static ProviderSimulator simulator;
  private static HttpClient http;

  private final GeminiWire wire = new GeminiWire();

  @BeforeAll
  static void startSimulator() {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  /** Each test its own simulated provider, so recordings never mix. */
  private static String base(String provider) {
    return simulator.baseUrl() + "/" + provider + "/v1beta";
  }

  private HttpResponse<byte[]> send(ProviderCall call, Map<String, String> simHeaders)
      throws IOException, InterruptedException {
    HttpRequest request = withHeaders(wire.toHttpRequest(call), simHeaders);
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest withHeaders(HttpRequest request, Map<String, String> extra) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true);
    extra.forEach(builder::header);
    return builder.timeout(Duration.ofSeconds(10)).build();
  }

  private record Streamed(List<StreamEvent> events, JsonNode lastUsageMetadata) {}

  /**
   * Streams a call, feeding the body to the parser as it arrives; keeps Gemini's last raw usage
   * too.
   */
  private Streamed stream(ProviderCall call, Map<String, String> simHeaders)
      throws IOException, InterruptedException, ProviderException {
    HttpRequest request = withHeaders(wire.toHttpRequest(call), simHeaders);
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    StreamDecoder decoder = wire.streamDecoder(call);
    SseParser parser = new SseParser();
    List<StreamEvent> events = new ArrayList<>();
    JsonNode lastUsage = null;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[512];
      int read;
      List<SseEvent> sse = new ArrayList<>();
      while ((read = body.read(buffer)) >= 0) {
        sse.addAll(parser.feed(ByteBuffer.wrap(buffer, 0, read)));
      }
      sse.addAll(parser.finish());
      for (SseEvent event : sse) {
        events.addAll(decoder.decode(event)); // first: it is what must refuse malformed data
        JsonNode raw = Fixtures.json(event.data()).path("usageMetadata");
        lastUsage = raw.isObject() ? raw : lastUsage;
      }
    }
    return new Streamed(events, lastUsage);
  }

  private static List<ObjectNode> chunks(List<StreamEvent> events) {
    return events.stream()
        .filter(StreamEvent.Chunk.class::isInstance)
        .map(event -> ((StreamEvent.Chunk) event).chunk())
        .toList();
  }

  private static ObjectNode lastUsage(List<StreamEvent> events) {
    return events.stream()
        .filter(StreamEvent.Usage.class::isInstance)
        .map(event -> ((StreamEvent.Usage) event).usage())
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  @Test
  void answersATextChatWithExactPromptTokensAndUsageThatAddsUp() throws Exception {
    ProviderCall call =
        chat()
            .system("You are terse.")
            .user("Say hello to the world.")
            .with("temperature", "0.3")
            .with("top_p", "0.9")
            .with("top_k", "20")
            .with("seed", "11")
            .call(base("text"), false);

    HttpResponse<byte[]> response = send(call, Map.of());
    ObjectNode completion = wire.fromResponse(call, response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(completion.at("/choices/0/message/content").asText()).isNotBlank();
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    // 3 per message + "You are terse." (4) + "Say hello to the world." (6)
    assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(16);
    JsonNode raw = Fixtures.json(new String(response.body(), StandardCharsets.UTF_8));
    assertThat(completion.at("/usage/completion_tokens").asInt())
        .isEqualTo(raw.at("/usageMetadata/candidatesTokenCount").asInt());
    assertThat(completion.at("/usage/total_tokens").asInt())
        .isEqualTo(raw.at("/usageMetadata/totalTokenCount").asInt());

    RecordedRequest recorded = simulator.recordedRequests("text").get(0);
    assertThat(recorded.path()).isEqualTo("/text/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(recorded.headers()).containsEntry("x-goog-api-key", "***");
  }

  @Test
  void capsTheAnswerAtMaxTokensAndReportsLength() throws Exception {
    ProviderCall call =
        chat().user("Tell me a long story.").with("max_tokens", "3").call(base("capped"), false);

    ObjectNode completion =
        wire.fromResponse(call, send(call, Map.of("x-sim-completion-tokens", "40")).body());

    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(completion.at("/choices/0/native_finish_reason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void returnsThoughtsAsReasoningCountedInCompletionTokens() throws Exception {
    ProviderCall call =
        chat()
            .user("How many primes are below 20?")
            .with("reasoning", "{\"effort\":\"high\"}")
            .call(base("thinking"), false);

    HttpResponse<byte[]> response = send(call, Map.of());
    ObjectNode completion = wire.fromResponse(call, response.body());

    JsonNode raw = Fixtures.json(new String(response.body(), StandardCharsets.UTF_8));
    int candidates = raw.at("/usageMetadata/candidatesTokenCount").asInt();
    int thoughts = raw.at("/usageMetadata/thoughtsTokenCount").asInt();
    assertThat(thoughts).isPositive();
    assertThat(completion.at("/choices/0/message/reasoning").asText()).isNotBlank();
    assertThat(completion.at("/choices/0/message/content").asText()).isNotBlank();
    assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(candidates + thoughts);
    assertThat(completion.at("/usage/completion_tokens_details/reasoning_tokens").asInt())
        .isEqualTo(thoughts);
    assertThat(completion.at("/usage/total_tokens").asInt())
        .isEqualTo(raw.at("/usageMetadata/totalTokenCount").asInt());
  }

  @Test
  void callsAToolAndAnswersItsResultInTheNextTurn() throws Exception {
    ChatRequestBuilder conversation =
        chat().user("What is the weather in Paris?").with("tools", WEATHER_TOOL);
    ProviderCall first = conversation.call(base("tools"), false);

    ObjectNode toolTurn = wire.fromResponse(first, send(first, Map.of()).body());

    assertThat(toolTurn.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(toolTurn.at("/choices/0/message/tool_calls"))
        .isEqualTo(
            Fixtures.json(
                """
                [{"id":"call_0","type":"function",
                  "function":{"name":"get_weather","arguments":"{\\"city\\":\\"sample\\"}"}}]
                """));
    // get_weather (3 tokens) + {"city":"sample"} (9 tokens)
    assertThat(toolTurn.at("/usage/completion_tokens").asInt()).isEqualTo(12);

    ProviderCall second =
        conversation
            .message(Json.MAPPER.writeValueAsString(toolTurn.at("/choices/0/message")))
            .toolResult("call_0", "{\"temp_c\":21,\"sky\":\"clear\"}")
            .call(base("tools"), false);
    ObjectNode answer = wire.fromResponse(second, send(second, Map.of()).body());

    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(answer.at("/choices/0/message/content").asText()).isNotBlank();
    JsonNode sentContents =
        Fixtures.json(simulator.recordedRequests("tools").get(1).body()).get("contents");
    assertThat(sentContents.at("/2/parts/0/functionResponse/name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void streamsReasoningAndOneTokenPerContentChunkWithUsageThatAddsUp() throws Exception {
    ProviderCall call =
        chat()
            .system("You are terse.")
            .user("Say hello to the world.")
            .with("reasoning", "{\"effort\":\"low\"}")
            .call(base("stream"), true);

    Streamed streamed = stream(call, Map.of());
    List<ObjectNode> chunks = chunks(streamed.events());

    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks.stream().filter(c -> c.at("/choices/0/delta/role").isTextual())).hasSize(1);
    long contentChunks =
        chunks.stream().filter(c -> c.at("/choices/0/delta/content").isTextual()).count();
    String reasoning =
        chunks.stream()
            .map(c -> c.at("/choices/0/delta/reasoning").asText(""))
            .collect(Collectors.joining());
    ObjectNode usage = lastUsage(streamed.events());
    JsonNode raw = streamed.lastUsageMetadata();

    assertThat(reasoning).isNotBlank();
    assertThat(contentChunks).isEqualTo(raw.get("candidatesTokenCount").asLong());
    assertThat(usage.get("completion_tokens").asInt())
        .isEqualTo(raw.get("candidatesTokenCount").asInt() + raw.get("thoughtsTokenCount").asInt());
    assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt())
        .isEqualTo(raw.get("thoughtsTokenCount").asInt())
        .isPositive();
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(raw.get("totalTokenCount").asInt());
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText())
        .isEqualTo("stop");
    assertThat(streamed.events().get(streamed.events().size() - 1))
        .isEqualTo(new StreamEvent.Done());
    assertThat(simulator.recordedRequests("stream").get(0).path())
        .isEqualTo("/stream/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  }

  @Test
  void streamsAFunctionCallAsOneToolCallFragment() throws Exception {
    ProviderCall call =
        chat()
            .user("What is the weather in Paris?")
            .with("tools", WEATHER_TOOL)
            .with("tool_choice", "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}")
            .call(base("stream-tools"), true);

    Streamed streamed = stream(call, Map.of());
    List<ObjectNode> toolChunks =
        chunks(streamed.events()).stream()
            .filter(c -> c.at("/choices/0/delta/tool_calls").isArray())
            .toList();

    assertThat(toolChunks).hasSize(1);
    assertThat(toolChunks.get(0).at("/choices/0/delta/tool_calls"))
        .isEqualTo(
            Fixtures.json(
                """
                [{"index":0,"id":"call_0","type":"function",
                  "function":{"name":"get_weather","arguments":"{\\"city\\":\\"sample\\"}"}}]
                """));
    List<ObjectNode> chunks = chunks(streamed.events());
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText())
        .isEqualTo("tool_calls");
    assertThat(lastUsage(streamed.events()).get("completion_tokens").asInt())
        .isEqualTo(streamed.lastUsageMetadata().get("candidatesTokenCount").asInt());
    assertThat(streamed.events().get(streamed.events().size() - 1))
        .isEqualTo(new StreamEvent.Done());
  }

  @Test
  void reportsAnErrorInsideTheStreamAsAFailureWithoutDone() throws Exception {
    ProviderCall call = chat().user("Say hello to the world.").call(base("stream-error"), true);

    List<StreamEvent> events = stream(call, Map.of("x-sim-error-after", "2")).events();

    assertThat(chunks(events)).hasSize(2);
    assertThat(events.get(events.size() - 1))
        .isInstanceOfSatisfying(
            StreamEvent.Failure.class,
            failure ->
                assertThat(failure.error().kind()).isEqualTo(ProviderError.Kind.UNAVAILABLE));
    assertThat(events).doesNotContain(new StreamEvent.Done());
  }

  @Test
  void rejectsAMalformedStreamEvent() throws Exception {
    ProviderCall call = chat().user("Say hello to the world.").call(base("stream-malformed"), true);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> stream(call, Map.of("x-sim-malformed-after", "1")));

    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
  }

  @Test
  void classifiesARateLimitWithItsRetryAfter() throws Exception {
    ProviderCall call = chat().user("Hi").call(base("limited"), false);

    HttpResponse<byte[]> response =
        send(call, Map.of("x-sim-status", "429", "x-sim-retry-after", "2"));
    ProviderError error =
        wire.fromError(response.statusCode(), response.headers(), response.body());

    assertThat(error.kind()).isEqualTo(ProviderError.Kind.RATE_LIMITED);
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void classifiesAnOverloadedProviderAsUnavailable() throws Exception {
    ProviderCall call = chat().user("Hi").call(base("overloaded"), false);

    HttpResponse<byte[]> response = send(call, Map.of("x-sim-status", "503"));
    ProviderError error =
        wire.fromError(response.statusCode(), response.headers(), response.body());

    assertThat(error.kind()).isEqualTo(ProviderError.Kind.UNAVAILABLE);
    assertThat(error.upstreamStatus()).isEqualTo(503);
  }
}
