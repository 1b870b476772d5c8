package dev.switchboard.api.inference.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesStreamEncoderTest {

  private final MessagesStreamEncoder encoder =
      new MessagesStreamEncoder("gen-1", "anthropic/claude-sonnet-4");

  private static ObjectNode chunk(String delta) {
    return chunk(delta, null);
  }

  private static ObjectNode chunk(String delta, String finishReason) {
    String finish = finishReason == null ? "null" : "\"" + finishReason + "\"";
    return json(
        "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":"
            + delta
            + ",\"finish_reason\":"
            + finish
            + "}]}");
  }

  private List<SseEvent> encode(List<ObjectNode> chunks, String usage) {
    List<SseEvent> events = new ArrayList<>();
    chunks.forEach(chunk -> events.addAll(encoder.onChunk(chunk)));
    events.addAll(encoder.finish(usage == null ? null : json(usage)));
    return events;
  }

  private static List<String> names(List<SseEvent> events) {
    return events.stream().map(SseEvent::event).toList();
  }

  /**
   * Checks what Anthropic SDKs rely on: message_start first, blocks opened in index order one at a
   * time, deltas of the open block's kind, every block closed before message_delta, message_stop
   * last.
   */
  private static void assertValidSequence(List<SseEvent> events) {
    assertThat(events.get(0).event()).isEqualTo("message_start");
    assertThat(events.get(events.size() - 1).event()).isEqualTo("message_stop");
    int nextIndex = 0;
    JsonNode open = null;
    int openIndex = -1;
    for (SseEvent event : events) {
      JsonNode data = json(event.data());
      assertThat(data.get("type").asText()).isEqualTo(event.event());
      switch (event.event()) {
        case "message_start" -> assertThat(event).isSameAs(events.get(0));
        case "content_block_start" -> {
          assertThat(open).as("block open at %s", event.data()).isNull();
          assertThat(data.get("index").intValue()).isEqualTo(nextIndex);
          open = data.get("content_block");
          openIndex = nextIndex++;
        }
        case "content_block_delta" -> {
          assertThat(open).isNotNull();
          assertThat(data.get("index").intValue()).isEqualTo(openIndex);
          String expected =
              switch (open.get("type").asText()) {
                case "text" -> "text_delta";
                case "thinking" -> "thinking_delta";
                default -> "input_json_delta";
              };
          assertThat(data.at("/delta/type").asText()).isEqualTo(expected);
        }
        case "content_block_stop" -> {
          assertThat(data.get("index").intValue()).isEqualTo(openIndex);
          open = null;
        }
        case "message_delta" -> assertThat(open).isNull();
        case "message_stop" -> assertThat(event).isSameAs(events.get(events.size() - 1));
        default -> throw new AssertionError("unexpected event " + event);
      }
    }
  }

  /** The content blocks as an Anthropic SDK accumulates them. */
  private static List<String> accumulatedBlocks(List<SseEvent> events) {
    List<StringBuilder> blocks = new ArrayList<>();
    for (SseEvent event : events) {
      JsonNode data = json(event.data());
      if (event.event().equals("content_block_start")) {
        blocks.add(new StringBuilder(data.at("/content_block/type").asText() + ":"));
      } else if (event.event().equals("content_block_delta")) {
        JsonNode delta = data.get("delta");
        String piece =
            delta.has("text")
                ? delta.get("text").asText()
                : delta.has("thinking")
                    ? delta.get("thinking").asText()
                    : delta.get("partial_json").asText();
        blocks.get(data.get("index").intValue()).append(piece);
      }
    }
    return blocks.stream().map(StringBuilder::toString).toList();
  }

  @Test
  void encodesATextAnswerAsOneTextBlockWithFinalUsage() {
    List<SseEvent> events =
        encode(
            List.of(
                chunk("{\"role\":\"assistant\"}"),
                chunk("{\"content\":\"Hel\"}"),
                chunk("{\"content\":\"lo\"}"),
                chunk("{}", "stop")),
            "{\"prompt_tokens\":30,\"completion_tokens\":2,\"total_tokens\":32,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":20,\"cache_write_tokens\":0}}");

    assertValidSequence(events);
    assertThat(names(events))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(wire(json(events.get(0).data())))
        .isEqualTo(
            json(
"""
{"type":"message_start","message":{"id":"gen-1","type":"message","role":"assistant",
 "model":"anthropic/claude-sonnet-4","content":[],"stop_reason":null,"stop_sequence":null,
 "usage":{"input_tokens":0,"output_tokens":0,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}
"""));
    assertThat(accumulatedBlocks(events)).containsExactly("text:Hello");
    assertThat(json(events.get(5).data()))
        .isEqualTo(
            json(
"""
{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
 "usage":{"input_tokens":10,"output_tokens":2,"cache_read_input_tokens":20,"cache_creation_input_tokens":0}}
"""));
  }

  @Test
  void opensAThinkingBlockThenATextBlockWhenReasoningPrecedesTheAnswer() {
    List<SseEvent> events =
        encode(
            List.of(
                chunk("{\"role\":\"assistant\",\"reasoning\":\"Think\"}"),
                chunk("{\"reasoning\":\"ing\"}"),
                chunk("{\"content\":\"Answer\"}"),
                chunk("{}", "length")),
            null);

    assertValidSequence(events);
    assertThat(accumulatedBlocks(events)).containsExactly("thinking:Thinking", "text:Answer");
    assertThat(json(events.get(events.size() - 2).data()).at("/delta/stop_reason").asText())
        .isEqualTo("max_tokens");
  }

  @Test
  void encodesToolCallsAsToolUseBlocksWithInputJsonDeltas() {
    List<SseEvent> events =
        encode(
            List.of(
                chunk("{\"role\":\"assistant\",\"content\":\"Checking both.\"}"),
                chunk(
                    "{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}"),
                chunk(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"),
                chunk(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}"),
                chunk(
                    "{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"time\",\"arguments\":\"{}\"}}]}"),
                chunk("{}", "tool_calls")),
            "{\"prompt_tokens\":50,\"completion_tokens\":20,\"total_tokens\":70}");

    assertValidSequence(events);
    assertThat(accumulatedBlocks(events))
        .containsExactly("text:Checking both.", "tool_use:{\"city\":\"Oslo\"}", "tool_use:{}");
    List<JsonNode> toolStarts =
        events.stream()
            .filter(event -> event.event().equals("content_block_start"))
            .map(event -> json(event.data()).get("content_block"))
            .skip(1)
            .toList();
    assertThat(toolStarts)
        .containsExactly(
            json("{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"weather\",\"input\":{}}"),
            json("{\"type\":\"tool_use\",\"id\":\"call_b\",\"name\":\"time\",\"input\":{}}"));
    assertThat(json(events.get(events.size() - 2).data()).at("/delta/stop_reason").asText())
        .isEqualTo("tool_use");
    assertThat(json(events.get(events.size() - 2).data()).at("/usage/input_tokens").intValue())
        .isEqualTo(50);
  }

  @Test
  void producesAValidEmptyMessageWhenTheStreamHadNoContent() {
    List<SseEvent> events = encode(List.of(), null);

    assertValidSequence(events);
    assertThat(names(events)).containsExactly("message_start", "message_delta", "message_stop");
  }

  @Test
  void endsWithAnAnthropicErrorEventOnAMidStreamFailure() {
    List<SseEvent> events = new ArrayList<>(encoder.onChunk(chunk("{\"content\":\"Once\"}")));
    events.add(encoder.error("overloaded_error", "Overloaded"));

    assertThat(events.get(events.size() - 1))
        .isEqualTo(
            new SseEvent(
                "error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    assertThat(encoder.finish(null)).isEmpty();
  }
}
