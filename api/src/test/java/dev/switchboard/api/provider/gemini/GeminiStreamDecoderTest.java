package dev.switchboard.api.provider.gemini;

import static dev.switchboard.api.provider.gemini.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamDecoderTest {

  private final GeminiStreamDecoder decoder =
      new GeminiStreamDecoder("gemini-2.0-flash", new GeminiErrorMapper());

  private List<StreamEvent> decodeAll(String fixture) throws ProviderException {
    List<StreamEvent> events = new ArrayList<>();
    for (SseEvent event : Fixtures.sseEvents(fixture)) {
      events.addAll(decoder.decode(event));
    }
    return events;
  }

  /** A chunk as the decoder builds it, with placeholder id, created and model. */
  private static StreamEvent.Chunk chunk(String delta, String finishFields) {
    return new StreamEvent.Chunk(
        (ObjectNode)
            json(
                """
                {"id":"gen-gemini","object":"chat.completion.chunk","created":0,
                 "model":"gemini-2.0-flash","choices":[{"index":0,"delta":%s,%s}]}
                """
                    .formatted(delta, finishFields)));
  }

  private static StreamEvent.Chunk chunk(String delta) {
    return chunk(delta, "\"finish_reason\":null");
  }

  private static StreamEvent.Chunk lastChunk(String delta, String finish, String nativeFinish) {
    return chunk(
        delta,
        "\"finish_reason\":\"%s\",\"native_finish_reason\":\"%s\"".formatted(finish, nativeFinish));
  }

  private static StreamEvent.Usage usage(String usage) {
    return new StreamEvent.Usage((ObjectNode) json(usage));
  }

  @Test
  void decodesATextStreamIntoContentDeltasThenFinishUsageAndDone() throws ProviderException {
    assertThat(decodeAll("stream-text.sse"))
        .containsExactly(
            chunk("{\"role\":\"assistant\",\"content\":\"The\"}"),
            chunk("{\"content\":\" sky is blue because sunlight is scattered\"}"),
            lastChunk("{\"content\":\" by the molecules in the air.\"}", "stop", "STOP"),
            usage(
                """
                {"prompt_tokens":7,"completion_tokens":16,"total_tokens":23,
                 "prompt_tokens_details":{"cached_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":0}}
                """),
            new StreamEvent.Done());
  }

  @Test
  void decodesThoughtsAsReasoningAndAFunctionCallAsOneToolCallFragment() throws ProviderException {
    List<StreamEvent> events = decodeAll("stream-thoughts-function-call.sse");

    assertThat(events)
        .filteredOn(StreamEvent.Chunk.class::isInstance)
        .extracting(event -> ((StreamEvent.Chunk) event).chunk().at("/choices/0"))
        .containsExactly(
            json(
                """
                {"index":0,"delta":{"role":"assistant",
                  "reasoning":"**Checking the weather**\\n\\nThe user wants Paris weather."},
                 "finish_reason":null}
                """),
            json(
                """
                {"index":0,"delta":{"reasoning":" I should call get_weather."},"finish_reason":null}
                """),
            json(
                """
                {"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_0","type":"function",
                  "function":{"name":"get_weather",
                    "arguments":"{\\"city\\":\\"Paris\\",\\"unit\\":\\"celsius\\"}"}}]},
                 "finish_reason":"tool_calls","native_finish_reason":"STOP"}
                """));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Done());
  }

  @Test
  void reportsUsageFromEveryChunkSoTheLastOneCountsThoughts() throws ProviderException {
    List<StreamEvent> usages =
        decodeAll("stream-thoughts-function-call.sse").stream()
            .filter(StreamEvent.Usage.class::isInstance)
            .toList();

    assertThat(usages).hasSize(3);
    assertThat(usages.get(2))
        .isEqualTo(
            usage(
                """
                {"prompt_tokens":41,"completion_tokens":205,"total_tokens":246,
                 "prompt_tokens_details":{"cached_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":187}}
                """));
  }

  @Test
  void reportsAnErrorObjectInTheStreamAsARetryableFailure() throws ProviderException {
    List<StreamEvent> events = decodeAll("stream-error.sse");

    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .isEqualTo(chunk("{\"role\":\"assistant\",\"content\":\"Let me think\"}"));
    assertThat(events.get(1))
        .isEqualTo(
            new StreamEvent.Failure(
                ProviderError.of(
                    ProviderError.Kind.UNAVAILABLE,
                    503,
                    "The model is overloaded. Please try again later.")));
  }

  @Test
  void endsABlockedPromptWithContentFilter() throws ProviderException {
    assertThat(decodeAll("stream-prompt-blocked.sse"))
        .containsExactly(
            lastChunk(
                "{\"role\":\"assistant\",\"content\":\"\"}",
                "content_filter",
                "PROHIBITED_CONTENT"),
            usage(
                """
                {"prompt_tokens":12,"completion_tokens":0,"total_tokens":12,
                 "prompt_tokens_details":{"cached_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":0}}
                """),
            new StreamEvent.Done());
  }

  @Test
  void carriesAFinishReasonOnAnEmptyClosingChunk() throws ProviderException {
    decoder.decode(
        new SseEvent(null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}"));

    List<StreamEvent> events =
        decoder.decode(
            new SseEvent(
                null,
                """
                {"candidates":[{"content":{"parts":[{"text":""}]},"finishReason":"MAX_TOKENS"}]}
                """));

    assertThat(events)
        .containsExactly(lastChunk("{}", "length", "MAX_TOKENS"), new StreamEvent.Done());
  }

  @Test
  void ignoresEventsWithoutData() throws ProviderException {
    assertThat(decoder.decode(new SseEvent(null, ""))).isEmpty();
  }

  @Test
  void throwsMalformedResponseForAnUnreadableEvent() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                decoder.decode(
                    new SseEvent(null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":")));

    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
  }
}
