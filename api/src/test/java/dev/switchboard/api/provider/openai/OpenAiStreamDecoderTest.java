package dev.switchboard.api.provider.openai;

import static dev.switchboard.api.provider.openai.OpenAiFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OpenAiStreamDecoderTest {

  private final OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();

  private List<StreamEvent> decodeAll(String fixture) throws ProviderException {
    List<StreamEvent> events = new ArrayList<>();
    for (SseEvent event : OpenAiFixtures.sseEvents(fixture)) {
      events.addAll(decoder.decode(event));
    }
    return events;
  }

  private static List<ObjectNode> chunks(List<StreamEvent> events) {
    return events.stream()
        .filter(StreamEvent.Chunk.class::isInstance)
        .map(event -> ((StreamEvent.Chunk) event).chunk())
        .toList();
  }

  @Test
  void decodesATextStreamIntoChunksThenUsageThenDone() throws ProviderException {
    List<StreamEvent> events = decodeAll("stream-text.sse");

    assertThat(events).hasSize(13);
    assertThat(events.subList(0, 11)).allMatch(StreamEvent.Chunk.class::isInstance);
    assertThat(events.get(0))
        .isEqualTo(
            new StreamEvent.Chunk(
                json(
"""
{"id":"chatcmpl-BRb9cZ2Hq8N3f6tXr0aLmYvKpJw1s","object":"chat.completion.chunk",
 "created":1745843712,"model":"gpt-4o-mini-2024-07-18","service_tier":"default",
 "system_fingerprint":"fp_0392822090",
 "choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},
   "logprobs":null,"finish_reason":null}]}
""")));
    assertThat(events.get(10))
        .isEqualTo(
            new StreamEvent.Chunk(
                json(
"""
{"id":"chatcmpl-BRb9cZ2Hq8N3f6tXr0aLmYvKpJw1s","object":"chat.completion.chunk",
 "created":1745843712,"model":"gpt-4o-mini-2024-07-18","service_tier":"default",
 "system_fingerprint":"fp_0392822090",
 "choices":[{"index":0,"delta":{},"logprobs":null,
   "finish_reason":"stop","native_finish_reason":"stop"}]}
""")));
    assertThat(events.get(11))
        .isEqualTo(
            new StreamEvent.Usage(
                json(
                    """
                    {"prompt_tokens":9,"completion_tokens":9,"total_tokens":18,
                     "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                     "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,
                       "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}
                    """)));
    assertThat(events.get(12)).isEqualTo(new StreamEvent.Done());
  }

  @Test
  void relaysTheTextDeltasInOrderWithoutTheNullUsageField() throws ProviderException {
    List<ObjectNode> chunks = chunks(decodeAll("stream-text.sse"));

    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> text.append(chunk.at("/choices/0/delta/content").asText("")));
    assertThat(text.toString()).isEqualTo("Hello! How can I help you today?");
    assertThat(chunks).noneMatch(chunk -> chunk.has("usage"));
  }

  @Test
  void streamsTwoToolCallsWhoseArgumentFragmentsConcatenateToValidJson() throws Exception {
    List<StreamEvent> events = decodeAll("stream-tool-calls.sse");

    Map<Integer, String> ids = new TreeMap<>();
    Map<Integer, String> names = new TreeMap<>();
    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    for (ObjectNode chunk : chunks(events)) {
      for (JsonNode call : chunk.at("/choices/0/delta/tool_calls")) {
        int index = call.get("index").asInt();
        if (call.has("id")) {
          ids.put(index, call.get("id").asText());
          names.put(index, call.at("/function/name").asText());
        }
        arguments
            .computeIfAbsent(index, i -> new StringBuilder())
            .append(call.at("/function/arguments").asText(""));
      }
    }

    assertThat(ids)
        .containsExactly(
            Map.entry(0, "call_DdmO9pD3xa9XTPNJ32zg2hcA"),
            Map.entry(1, "call_ABCcP4kAn1ZRe8NYwI4Z1qcU"));
    assertThat(names).containsExactly(Map.entry(0, "get_weather"), Map.entry(1, "get_weather"));
    assertThat(Json.MAPPER.readTree(arguments.get(0).toString()))
        .isEqualTo(json("{\"location\":\"Paris, France\",\"unit\":\"celsius\"}"));
    assertThat(Json.MAPPER.readTree(arguments.get(1).toString()))
        .isEqualTo(json("{\"location\":\"Bogotá, Colombia\",\"unit\":\"celsius\"}"));
  }

  @Test
  void endsAToolCallStreamWithToolCallsThenUsageThenDone() throws ProviderException {
    List<StreamEvent> events = decodeAll("stream-tool-calls.sse");

    List<ObjectNode> chunks = chunks(events);
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0"))
        .isEqualTo(
            json(
                """
                {"index":0,"delta":{},"logprobs":null,
                 "finish_reason":"tool_calls","native_finish_reason":"tool_calls"}
                """));
    assertThat(events.subList(events.size() - 2, events.size()))
        .containsExactly(
            new StreamEvent.Usage(
                json(
                    """
                    {"prompt_tokens":82,"completion_tokens":56,"total_tokens":138,
                     "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                     "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,
                       "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}
                    """)),
            new StreamEvent.Done());
  }

  @Test
  void reportsAnErrorObjectInTheStreamAsARetryableFailureAfterTheChunksBeforeIt()
      throws ProviderException {
    List<StreamEvent> events = decodeAll("stream-error.sse");

    assertThat(events).hasSize(5);
    assertThat(chunks(events))
        .extracting(chunk -> chunk.at("/choices/0/delta/content").asText())
        .containsExactly("", "Once", " upon", " a");
    assertThat(events.get(4))
        .isEqualTo(
            new StreamEvent.Failure(
                new ProviderError(
                    ProviderError.Kind.UNAVAILABLE,
                    0,
                    "The server had an error while processing your request. Sorry about that!",
                    null,
                    true)));
  }

  @Test
  void reportsUsageSentOnTheLastChoiceChunkAlongsideTheChunk() throws ProviderException {
    List<StreamEvent> events =
        decoder.decode(
            new SseEvent(
                null,
                """
                {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
                 "choices":[{"index":0,"delta":{"content":"."},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":16,"total_tokens":21}}
                """));

    assertThat(events)
        .containsExactly(
            new StreamEvent.Chunk(
                json(
                    """
                    {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
                     "choices":[{"index":0,"delta":{"content":"."},
                       "finish_reason":"length","native_finish_reason":"length"}]}
                    """)),
            new StreamEvent.Usage(
                json("{\"prompt_tokens\":5,\"completion_tokens\":16,\"total_tokens\":21}")));
  }

  @Test
  void ignoresAChunkWithNeitherChoicesNorUsage() throws ProviderException {
    assertThat(
            decoder.decode(
                new SseEvent(
                    null,
                    "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],"
                        + "\"prompt_filter_results\":[{\"prompt_index\":0}],\"usage\":null}")))
        .isEmpty();
  }

  @Test
  void ignoresAnEventWithBlankDataAsTheOtherDecodersDo() throws ProviderException {
    // "data:" alone is a valid SSE event with empty data; some servers send it as a keep-alive
    assertThat(decoder.decode(new SseEvent(null, ""))).isEmpty();
    assertThat(decoder.decode(new SseEvent(null, " "))).isEmpty();
  }

  @Test
  void decodesTheDoneMarker() throws ProviderException {
    assertThat(decoder.decode(new SseEvent(null, "[DONE]")))
        .containsExactly(new StreamEvent.Done());
  }

  @Test
  void throwsMalformedResponseForAnUnreadableEvent() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> decoder.decode(new SseEvent(null, "{\"choices\":[{\"delta\":{\"content\":")));

    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
    assertThat(e.error().retryable()).isTrue();
  }

  @Test
  void throwsMalformedResponseForAnEventThatIsNotAnObject() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> decoder.decode(new SseEvent(null, "42")));

    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
  }
}
