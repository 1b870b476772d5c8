package dev.switchboard.api.provider.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.sse;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {

  private static List<StreamEvent> decodeAll(List<SseEvent> events, boolean includeReasoning)
      throws ProviderException {
    AnthropicStreamDecoder decoder =
        new AnthropicStreamDecoder(new AnthropicErrorMapper(), includeReasoning);
    List<StreamEvent> decoded = new ArrayList<>();
    for (SseEvent event : events) {
      decoded.addAll(decoder.decode(event));
    }
    return decoded;
  }

  private static List<JsonNode> deltas(List<StreamEvent> events) {
    return events.stream()
        .filter(StreamEvent.Chunk.class::isInstance)
        .map(event -> ((StreamEvent.Chunk) event).chunk().at("/choices/0/delta"))
        .toList();
  }

  private static String joined(List<StreamEvent> events, String field) {
    StringBuilder text = new StringBuilder();
    deltas(events).forEach(delta -> text.append(delta.path(field).asText("")));
    return text.toString();
  }

  private static JsonNode lastUsage(List<StreamEvent> events) {
    return events.stream()
        .filter(StreamEvent.Usage.class::isInstance)
        .map(event -> (JsonNode) ((StreamEvent.Usage) event).usage())
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  @Test
  void decodesATextStreamIntoRoleContentFinishUsageAndDone() throws ProviderException {
    List<StreamEvent> events = decodeAll(sse("stream-text.sse"), true);

    assertThat(deltas(events).get(0)).isEqualTo(json("{\"role\":\"assistant\"}"));
    assertThat(joined(events, "content")).isEqualTo("Hello!");
    StreamEvent.Chunk finish =
        (StreamEvent.Chunk)
            events.stream()
                .filter(StreamEvent.Chunk.class::isInstance)
                .reduce((a, b) -> b)
                .orElseThrow();
    assertThat(wire(finish.chunk()))
        .isEqualTo(
            json(
"""
{"id":"","object":"chat.completion.chunk","created":0,"model":"",
 "choices":[{"index":0,"delta":{},"finish_reason":"stop","native_finish_reason":"end_turn"}]}
"""));
    assertThat(wire(lastUsage(events)))
        .isEqualTo(
            json(
                """
                {"prompt_tokens":125,"completion_tokens":15,"total_tokens":140,
                 "prompt_tokens_details":{"cached_tokens":100,"cache_write_tokens":0}}
                """));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done());
  }

  @Test
  void reportsInputTokensAsSoonAsTheMessageStarts() throws ProviderException {
    List<StreamEvent> events = decodeAll(sse("stream-text.sse").subList(0, 1), true);

    assertThat(events).hasSize(2);
    assertThat(((StreamEvent.Usage) events.get(1)).usage().get("prompt_tokens").intValue())
        .isEqualTo(125);
    assertThat(((StreamEvent.Usage) events.get(1)).usage().get("completion_tokens").intValue())
        .isEqualTo(1);
  }

  @Test
  void decodesThinkingTextAndToolUseWithIncrementalArguments() throws ProviderException {
    List<StreamEvent> events = decodeAll(sse("stream-thinking-tool-use.sse"), true);

    assertThat(joined(events, "reasoning"))
        .isEqualTo("The user wants the weather in San Francisco.");
    assertThat(joined(events, "content"))
        .isEqualTo("Okay, let's check the weather for San Francisco, CA:");
    List<JsonNode> toolDeltas =
        deltas(events).stream()
            .filter(delta -> delta.has("tool_calls"))
            .map(delta -> delta.get("tool_calls").get(0))
            .toList();
    assertThat(toolDeltas.get(0))
        .isEqualTo(
            json(
                """
                {"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","type":"function",
                 "function":{"name":"get_weather","arguments":""}}
                """));
    StringBuilder arguments = new StringBuilder();
    toolDeltas.forEach(call -> arguments.append(call.at("/function/arguments").asText()));
    assertThat(json(arguments.toString()))
        .isEqualTo(json("{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
    assertThat(toolDeltas).allSatisfy(call -> assertThat(call.get("index").intValue()).isZero());
    assertThat(deltas(events))
        .noneSatisfy(delta -> assertThat(delta.toString()).contains("signature"));
    assertThat(lastUsage(events).get("completion_tokens").intValue()).isEqualTo(89);
    assertThat(lastUsage(events).get("prompt_tokens").intValue()).isEqualTo(472);
  }

  @Test
  void numbersToolCallsByToolBlocksOnly() throws ProviderException {
    List<SseEvent> stream =
        List.of(
            new SseEvent(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
            new SseEvent(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"a\",\"input\":{}}}"),
            new SseEvent(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"b\",\"input\":{}}}"),
            new SseEvent(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"));

    List<JsonNode> calls =
        deltas(decodeAll(stream, true)).stream().map(delta -> delta.at("/tool_calls/0")).toList();

    assertThat(calls).extracting(call -> call.get("index").intValue()).containsExactly(0, 1, 1);
    assertThat(calls).extracting(call -> call.path("id").asText()).containsExactly("t1", "t2", "");
  }

  @Test
  void hidesThinkingWhenTheCallerExcludedReasoning() throws ProviderException {
    List<StreamEvent> events = decodeAll(sse("stream-thinking-tool-use.sse"), false);

    assertThat(joined(events, "reasoning")).isEmpty();
    assertThat(joined(events, "content")).isNotEmpty();
  }

  @Test
  void turnsAnInBandErrorEventIntoARetryableFailureWithoutDone() throws ProviderException {
    List<StreamEvent> events = decodeAll(sse("stream-error.sse"), true);

    assertThat(joined(events, "content")).isEqualTo("Once upon");
    assertThat(events.get(events.size() - 1))
        .isEqualTo(
            new StreamEvent.Failure(
                ProviderError.of(ProviderError.Kind.UNAVAILABLE, 529, "Overloaded")));
    assertThat(events).doesNotContain(new StreamEvent.Done());
  }

  @Test
  void throwsMalformedResponseForAnEventThatIsNotJson() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(new AnthropicErrorMapper(), true);
    SseEvent truncated =
        new SseEvent(
            "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":");

    assertThatThrownBy(() -> decoder.decode(truncated))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE));
  }

  @Test
  void ignoresPingsAndEventTypesAnthropicMayAddLater() throws ProviderException {
    List<StreamEvent> events =
        decodeAll(
            List.of(
                new SseEvent("ping", "{\"type\": \"ping\"}"),
                new SseEvent("future_event", "{\"type\":\"future_event\",\"x\":1}")),
            true);

    assertThat(events).isEmpty();
  }
}
