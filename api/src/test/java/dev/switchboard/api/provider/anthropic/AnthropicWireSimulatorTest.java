package dev.switchboard.api.provider.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.StreamEvent;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.catalog.DataPolicy;
import dev.switchboard.domain.catalog.ProviderApi;
import dev.switchboard.simulator.FaultSpec;
import dev.switchboard.simulator.ProviderSimulator;
import dev.switchboard.simulator.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mapped requests sent to the in-repo simulator's Anthropic endpoint and read back through the
 * wire.
 */
class AnthropicWireSimulatorTest {

  // The simulator's tokenizer: a run of letters/digits, or any other single non-space character.
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{Nd}]+|[^\\s\\p{L}\\p{Nd}]");
  private static final String TEXT_REQUEST =
"""
{"model":"sim/claude","max_tokens":200,"messages":[
  {"role":"system","content":"Be brief."},{"role":"user","content":"Say hello to the world."}]}
""";
  private static final String TOOL_REQUEST =
"""
{"model":"sim/claude","max_tokens":200,"messages":[{"role":"user","content":"Weather in Oslo?"}],
 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
""";

  private static ProviderSimulator simulator;
  private static HttpClient http;
  private final AnthropicWire wire = new AnthropicWire();

  @BeforeAll
  static void startSimulator() {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @AfterEach
  void clearFaults() {
    simulator.setProviderFaults("acme", FaultSpec.NONE);
  }

  private static ProviderCall call(String chatRequest, boolean stream) {
    CatalogProvider provider =
        new CatalogProvider(
            "acme",
            "Acme",
            ProviderApi.ANTHROPIC,
            URI.create(simulator.baseUrl() + "/acme/v1"),
            "ACME_KEY",
            DataPolicy.PRIVATE);
    return new ProviderCall(provider, "sk-sim", "sim-claude-sonnet", json(chatRequest), stream);
  }

  private static int tokens(String text) {
    Matcher matcher = TOKEN.matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  private ObjectNode complete(ProviderCall call)
      throws IOException, InterruptedException, ProviderException {
    HttpResponse<byte[]> response =
        http.send(wire.toHttpRequest(call), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    return wire.fromResponse(call, response.body());
  }

  private List<StreamEvent> stream(ProviderCall call, HttpRequest request)
      throws IOException, InterruptedException, ProviderException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    StreamDecoder decoder = wire.streamDecoder(call);
    List<StreamEvent> events = new ArrayList<>();
    for (SseEvent event : AnthropicFixtures.parseSse(response.body())) {
      events.addAll(decoder.decode(event));
    }
    return events;
  }

  private static List<JsonNode> deltas(List<StreamEvent> events) {
    return events.stream()
        .filter(StreamEvent.Chunk.class::isInstance)
        .map(event -> ((StreamEvent.Chunk) event).chunk().at("/choices/0"))
        .toList();
  }

  private static JsonNode lastUsage(List<StreamEvent> events) {
    JsonNode usage = null;
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.Usage reported) {
        usage = reported.usage();
      }
    }
    return usage;
  }

  private static void assertAddsUp(JsonNode usage) {
    assertThat(usage.get("total_tokens").longValue())
        .isEqualTo(
            usage.get("prompt_tokens").longValue() + usage.get("completion_tokens").longValue());
  }

  @Test
  void completesATextRequestWithUsageThatAddsUp() throws Exception {
    ObjectNode completion = complete(call(TEXT_REQUEST, false));

    String content = completion.at("/choices/0/message/content").asText();
    assertThat(content).isNotBlank();
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    // 3 per message + "Be brief." (3) + "Say hello to the world." (6)
    assertThat(completion.at("/usage/prompt_tokens").intValue()).isEqualTo(15);
    assertThat(completion.at("/usage/completion_tokens").intValue()).isEqualTo(tokens(content));
    assertAddsUp(completion.get("usage"));
    RecordedRequest sent =
        simulator.recordedRequests("acme").get(simulator.recordedRequests("acme").size() - 1);
    assertThat(sent.path()).isEqualTo("/acme/v1/messages");
    assertThat(sent.headers()).containsEntry("anthropic-version", "2023-06-01");
    assertThat(json(sent.body()).get("system").asText()).isEqualTo("Be brief.");
  }

  @Test
  void completesAToolCallWithItsArgumentsAndUsage() throws Exception {
    ObjectNode completion = complete(call(TOOL_REQUEST, false));

    JsonNode toolCall = completion.at("/choices/0/message/tool_calls/0");
    assertThat(toolCall.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(json(toolCall.at("/function/arguments").asText()))
        .isEqualTo(json("{\"city\":\"sample\"}"));
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(completion.at("/usage/completion_tokens").intValue())
        .isEqualTo(tokens("get_weather") + tokens("{\"city\":\"sample\"}"));
    assertAddsUp(completion.get("usage"));
  }

  @Test
  void streamsTextWhoseChunksMatchTheReportedUsage() throws Exception {
    ProviderCall call = call(TEXT_REQUEST, true);
    List<StreamEvent> events = stream(call, wire.toHttpRequest(call));

    List<JsonNode> contentChunks =
        deltas(events).stream().filter(choice -> choice.at("/delta/content").isTextual()).toList();
    JsonNode usage = lastUsage(events);
    assertThat(deltas(events).get(0).at("/delta/role").asText()).isEqualTo("assistant");
    assertThat(usage.get("prompt_tokens").intValue()).isEqualTo(15);
    assertThat(usage.get("completion_tokens").intValue()).isEqualTo(contentChunks.size());
    assertAddsUp(usage);
    assertThat(deltas(events).get(deltas(events).size() - 1).get("finish_reason").asText())
        .isEqualTo("stop");
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done());
  }

  @Test
  void streamsAToolCallAsIncrementalArguments() throws Exception {
    ProviderCall call = call(TOOL_REQUEST, true);
    List<StreamEvent> events = stream(call, wire.toHttpRequest(call));

    StringBuilder arguments = new StringBuilder();
    deltas(events).stream()
        .map(choice -> choice.at("/delta/tool_calls/0"))
        .filter(JsonNode::isObject)
        .forEach(fragment -> arguments.append(fragment.at("/function/arguments").asText()));
    JsonNode first =
        deltas(events).stream()
            .map(choice -> choice.at("/delta/tool_calls/0"))
            .filter(JsonNode::isObject)
            .findFirst()
            .orElseThrow();
    assertThat(first.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(first.get("index").intValue()).isZero();
    assertThat(json(arguments.toString())).isEqualTo(json("{\"city\":\"sample\"}"));
    assertThat(lastUsage(events).get("completion_tokens").intValue())
        .isEqualTo(tokens("get_weather") + tokens("{\"city\":\"sample\"}"));
    assertAddsUp(lastUsage(events));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done());
  }

  @Test
  void streamsThinkingAsReasoningCountedInCompletionTokens() throws Exception {
    ProviderCall call =
        call(
            """
            {"model":"sim/claude","max_tokens":4000,"reasoning":{"effort":"low"},
             "messages":[{"role":"user","content":"Why is the sky blue?"}]}
            """,
            true);
    List<StreamEvent> events = stream(call, wire.toHttpRequest(call));

    long reasoningChunks =
        deltas(events).stream().filter(choice -> choice.at("/delta/reasoning").isTextual()).count();
    long contentChunks =
        deltas(events).stream().filter(choice -> choice.at("/delta/content").isTextual()).count();
    assertThat(reasoningChunks).isPositive();
    assertThat(lastUsage(events).get("completion_tokens").longValue())
        .isEqualTo(reasoningChunks + contentChunks);
    assertAddsUp(lastUsage(events));
  }

  @Test
  void reportsAnInBandOverloadAsARetryableFailure() throws Exception {
    ProviderCall call = call(TEXT_REQUEST, true);
    HttpRequest request =
        HttpRequest.newBuilder(wire.toHttpRequest(call), (name, value) -> true)
            .header("x-sim-error-after", "2")
            .build();

    List<StreamEvent> events = stream(call, request);

    assertThat(events.get(events.size() - 1))
        .isEqualTo(
            new StreamEvent.Failure(
                ProviderError.of(ProviderError.Kind.UNAVAILABLE, 529, "Overloaded")));
  }

  @Test
  void classifiesARateLimitAnswerWithItsRetryAfter() throws Exception {
    simulator.setProviderFaults(
        "acme", FaultSpec.builder().status(429).retryAfterSeconds(3).build());
    ProviderCall call = call(TEXT_REQUEST, false);

    HttpResponse<byte[]> response =
        http.send(wire.toHttpRequest(call), HttpResponse.BodyHandlers.ofByteArray());
    ProviderError error =
        wire.fromError(response.statusCode(), response.headers(), response.body());

    assertThat(error.kind()).isEqualTo(ProviderError.Kind.RATE_LIMITED);
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(error.retryable()).isTrue();
  }
}
