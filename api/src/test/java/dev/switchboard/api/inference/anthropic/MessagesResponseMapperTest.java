package dev.switchboard.api.inference.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MessagesResponseMapperTest {

  private final MessagesResponseMapper mapper = new MessagesResponseMapper();

  @Test
  void mapsACompletionWithReasoningTextAndToolCallsToAnAnthropicMessage() {
    ObjectNode message =
        mapper.toMessage(
            json(
"""
{"id":"gen-123","object":"chat.completion","created":1700000000,"model":"anthropic/claude-sonnet-4",
 "choices":[{"index":0,"message":{"role":"assistant","content":"Let me check.","reasoning":"Need weather",
   "tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
   "finish_reason":"tool_calls","native_finish_reason":"tool_use"}],
 "usage":{"prompt_tokens":1500,"completion_tokens":40,"total_tokens":1540,
   "prompt_tokens_details":{"cached_tokens":1000,"cache_write_tokens":200}}}
"""));

    assertThat(wire(message))
        .isEqualTo(
            json(
"""
{"id":"gen-123","type":"message","role":"assistant","model":"anthropic/claude-sonnet-4",
 "content":[{"type":"thinking","thinking":"Need weather","signature":""},
   {"type":"text","text":"Let me check."},
   {"type":"tool_use","id":"call_9","name":"get_weather","input":{"city":"Rome"}}],
 "stop_reason":"tool_use","stop_sequence":null,
 "usage":{"input_tokens":300,"output_tokens":40,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200}}
"""));
  }

  @Test
  void mapsFinishReasonsToStopReasons() {
    assertThat(stopReasonFor("stop", "end_turn")).isEqualTo("end_turn");
    assertThat(stopReasonFor("stop", "stop_sequence")).isEqualTo("stop_sequence");
    assertThat(stopReasonFor("length", "MAX_TOKENS")).isEqualTo("max_tokens");
    assertThat(stopReasonFor("content_filter", "SAFETY")).isEqualTo("refusal");
    assertThat(stopReasonFor("tool_calls", "tool_calls")).isEqualTo("tool_use");
  }

  @Test
  void givesToolCallsWithBrokenArgumentsAnEmptyInputObject() {
    ObjectNode message =
        mapper.toMessage(
            json(
"""
{"id":"gen-1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
  "tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\\"a\\":"}}]},
  "finish_reason":"tool_calls"}]}
"""));

    assertThat(message.at("/content/0/input")).isEqualTo(json("{}"));
    assertThat(wire(message.get("usage")))
        .isEqualTo(
            json(
                "{\"input_tokens\":0,\"output_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}"));
  }

  private String stopReasonFor(String finishReason, String nativeReason) {
    ObjectNode completion =
        json(
            "{\"id\":\"g\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},"
                + "\"finish_reason\":\""
                + finishReason
                + "\",\"native_finish_reason\":\""
                + nativeReason
                + "\"}]}");
    return mapper.toMessage(completion).get("stop_reason").asText();
  }
}
