package dev.switchboard.api.inference.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MessagesRequestMapperTest {

  private final MessagesRequestMapper mapper = new MessagesRequestMapper();

  private ObjectNode map(String anthropicBody) {
    return mapper.toChatRequest(json(anthropicBody));
  }

  @Test
  void mapsAFullAnthropicRequestToTheExactChatRequest() {
    ObjectNode chat =
        map(
"""
{"model":"anthropic/claude-sonnet-4","max_tokens":1024,"stream":true,
 "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
 "messages":[
  {"role":"user","content":[{"type":"text","text":"Describe it"},
    {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]},
  {"role":"assistant","content":[{"type":"thinking","thinking":"Look up weather","signature":"sig"},
    {"type":"text","text":"Checking."},
    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Oslo"}}]},
  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"-3C"},
    {"type":"text","text":"And tomorrow?"}]}],
 "tools":[{"name":"get_weather","description":"Current weather",
   "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
 "stop_sequences":["###"],"temperature":0.2,"top_p":0.9,"top_k":10,
 "thinking":{"type":"enabled","budget_tokens":2048},
 "metadata":{"user_id":"u-7"}}
""");

    assertThat(chat)
        .isEqualTo(
            json(
"""
{"model":"anthropic/claude-sonnet-4","max_tokens":1024,"stream":true,
 "messages":[
  {"role":"system","content":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}]},
  {"role":"user","content":[{"type":"text","text":"Describe it"},
    {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]},
  {"role":"assistant","content":"Checking.","reasoning":"Look up weather",
    "tool_calls":[{"id":"toolu_1","type":"function",
      "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
  {"role":"tool","tool_call_id":"toolu_1","content":"-3C"},
  {"role":"user","content":"And tomorrow?"}],
 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
 "tool_choice":"required","parallel_tool_calls":false,
 "stop":["###"],"temperature":0.2,"top_p":0.9,"top_k":10,
 "reasoning":{"max_tokens":2048},"user":"u-7"}
"""));
  }

  @Test
  void splitsAUserTurnIntoToolMessagesAndAUserMessageInOrder() {
    ObjectNode chat =
        map(
            """
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"A"},
                {"type":"image","source":{"type":"url","url":"https://example.com/chart.png"}}]},
              {"type":"tool_result","tool_use_id":"b"},
              {"type":"text","text":"Go on"}]}]}
            """);

    assertThat(chat.get("messages"))
        .isEqualTo(
            json(
"""
{"m":[{"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"A"},
        {"type":"image_url","image_url":{"url":"https://example.com/chart.png"}}]},
      {"role":"tool","tool_call_id":"b","content":""},
      {"role":"user","content":"Go on"}]}
""")
                .get("m"));
  }

  @Test
  void mapsStringContentAndStringSystemAsTheyAre() {
    ObjectNode chat =
        map(
            "{\"model\":\"m\",\"max_tokens\":10,\"system\":\"Be"
                + " kind.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(chat.get("messages"))
        .isEqualTo(
            json("{\"m\":[{\"role\":\"system\",\"content\":\"Be"
                    + " kind.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .get("m"));
  }

  @Test
  void mapsEachToolChoice() {
    String base =
        "\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    assertThat(
            map("{" + base + ",\"tool_choice\":{\"type\":\"auto\"}}").get("tool_choice").asText())
        .isEqualTo("auto");
    assertThat(
            map("{" + base + ",\"tool_choice\":{\"type\":\"none\"}}").get("tool_choice").asText())
        .isEqualTo("none");
    assertThat(
            map("{" + base + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"}}")
                .get("tool_choice"))
        .isEqualTo(json("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"));
  }

  @Test
  void mapsAdaptiveThinkingToEnabledReasoningAndDisabledToNone() {
    String base =
        "\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    assertThat(map("{" + base + ",\"thinking\":{\"type\":\"adaptive\"}}").get("reasoning"))
        .isEqualTo(json("{\"enabled\":true}"));
    assertThat(map("{" + base + ",\"thinking\":{\"type\":\"disabled\"}}").has("reasoning"))
        .isFalse();
  }

  @Test
  void requiresMaxTokensAsAnthropicDoes() {
    assertThatThrownBy(
            () -> map("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_tokens: required");
    assertThatThrownBy(
            () ->
                map(
                    "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .hasMessage("max_tokens: must be a positive integer");
  }

  @Test
  void namesTheFieldOfAnUnknownBlockType() {
    assertThatThrownBy(
            () ->
                map(
"""
{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"a"},
  {"role":"assistant","content":"b"},{"role":"user","content":[{"type":"foo"}]}]}
"""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[2].content[0].type: unknown block type 'foo'");
  }

  @Test
  void refusesRealBlockTypesItCannotCarryByName() {
    assertThatThrownBy(
            () ->
                map(
"""
{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}]}
"""))
        .hasMessage("messages[0].content[0].type: block type 'document' is not supported");
  }

  @Test
  void refusesInvalidRolesToolsAndThinking() {
    assertThatThrownBy(
            () ->
                map(
                    "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"))
        .hasMessage("messages[0].role: must be 'user' or 'assistant', got 'system'");
    assertThatThrownBy(
            () ->
                map(
                    "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}"))
        .hasMessage("tools[0].type: server tool 'web_search_20250305' is not supported");
    assertThatThrownBy(
            () ->
                map(
                    "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                        + "\"thinking\":{\"type\":\"enabled\"}}"))
        .hasMessageStartingWith("thinking.budget_tokens:");
    assertThatThrownBy(
            () -> map("{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .hasMessage("model: required");
    assertThatThrownBy(() -> map("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}"))
        .hasMessage("messages: required, a non-empty array");
  }
}
