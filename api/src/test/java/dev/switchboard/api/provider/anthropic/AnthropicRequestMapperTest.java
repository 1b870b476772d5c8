package dev.switchboard.api.provider.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AnthropicRequestMapperTest {

  private final AnthropicRequestMapper mapper = new AnthropicRequestMapper();

  private ObjectNode map(String chatRequest) {
    return mapper.toMessagesBody(json(chatRequest), "claude-sonnet-4-20250514", false);
  }

  @Test
  void mapsAConversationWithToolsImagesAndSamplingToTheExactAnthropicBody() {
    ObjectNode body =
        map(
"""
{"model":"anthropic/claude-sonnet-4","max_tokens":512,"temperature":0.5,"top_p":0.9,"top_k":40,
 "stop":"END","user":"user-42","seed":7,
 "messages":[
  {"role":"system","content":"Be brief."},
  {"role":"user","content":[{"type":"text","text":"What is in this image?"},
    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
  {"role":"tool","tool_call_id":"call_1","content":"18C and sunny"},
  {"role":"user","content":"Thanks"}],
 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
 "tool_choice":"auto"}
""");

    assertThat(wire(body))
        .isEqualTo(
            json(
"""
{"model":"claude-sonnet-4-20250514","max_tokens":512,"system":"Be brief.",
 "messages":[
  {"role":"user","content":[{"type":"text","text":"What is in this image?"},
    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
  {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather",
    "input":{"city":"Paris"}}]},
  {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"18C and sunny"},
    {"type":"text","text":"Thanks"}]}],
 "tools":[{"name":"get_weather","description":"Weather now",
   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
 "tool_choice":{"type":"auto"},
 "temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END"],
 "metadata":{"user_id":"user-42"}}
"""));
  }

  @Test
  void joinsSeveralSystemAndDeveloperMessagesAsSystemBlocksKeepingCacheControl() {
    ObjectNode body =
        map(
"""
{"max_tokens":100,"messages":[
  {"role":"system","content":[{"type":"text","text":"Long manual","cache_control":{"type":"ephemeral"}}]},
  {"role":"user","content":"Hi"},
  {"role":"developer","content":"Answer in French."}]}
""");

    assertThat(wire(body.get("system")))
        .isEqualTo(
            json("""
                 {"s":[{"type":"text","text":"Long manual","cache_control":{"type":"ephemeral"}},
                       {"type":"text","text":"Answer in French."}]}
                 """)
                .get("s"));
    assertThat(body.get("messages")).hasSize(1);
  }

  @Test
  void mergesConsecutiveSameRoleMessagesBecauseAnthropicRequiresAlternation() {
    ObjectNode body =
        map(
"""
{"max_tokens":100,"messages":[
  {"role":"user","content":"First"},{"role":"user","content":"Second"},
  {"role":"assistant","content":"One"},{"role":"assistant","content":""},{"role":"assistant","content":"Two"}]}
""");

    assertThat(wire(body.get("messages")))
        .isEqualTo(
            json(
"""
{"m":[{"role":"user","content":[{"type":"text","text":"First"},{"type":"text","text":"Second"}]},
      {"role":"assistant","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"}]}]}
""")
                .get("m"));
  }

  @Test
  void putsToolResultsBeforeTextInAMergedUserTurn() {
    ObjectNode body =
        map(
            """
            {"max_tokens":100,"messages":[
              {"role":"assistant","content":"Calling","tool_calls":[
                {"id":"a","type":"function","function":{"name":"f","arguments":""}},
                {"id":"b","type":"function","function":{"name":"g","arguments":"{}"}}]},
              {"role":"user","content":"Meanwhile"},
              {"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"A done"}]},
              {"role":"tool","tool_call_id":"b","content":"B done"}]}
            """);

    assertThat(body.at("/messages/0/content/1/input")).isEqualTo(json("{}"));
    assertThat(wire(body.at("/messages/1/content")))
        .isEqualTo(
            json(
"""
{"c":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"A done"}]},
      {"type":"tool_result","tool_use_id":"b","content":"B done"},
      {"type":"text","text":"Meanwhile"}]}
""")
                .get("c"));
  }

  @Test
  void mapsHttpsImageUrlsToUrlSources() {
    ObjectNode body =
        map(
            """
            {"max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}
            """);

    assertThat(wire(body.at("/messages/0/content/0")))
        .isEqualTo(
            json(
                "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}"));
  }

  @Test
  void mapsEachToolChoice() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
    assertThat(
            map("{\"max_tokens\":9," + tools + ",\"tool_choice\":\"required\",\"messages\":[]}")
                .get("tool_choice"))
        .isEqualTo(json("{\"type\":\"any\"}"));
    assertThat(
            map("{\"max_tokens\":9," + tools + ",\"tool_choice\":\"none\",\"messages\":[]}")
                .get("tool_choice"))
        .isEqualTo(json("{\"type\":\"none\"}"));
    assertThat(
            map("{\"max_tokens\":9,"
                    + tools
                    + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},\"messages\":[]}")
                .get("tool_choice"))
        .isEqualTo(json("{\"type\":\"tool\",\"name\":\"f\"}"));
    assertThat(
            map("{\"max_tokens\":9," + tools + ",\"parallel_tool_calls\":false,\"messages\":[]}")
                .get("tool_choice"))
        .isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
  }

  @Test
  void givesParameterlessToolsTheEmptyObjectSchemaAnthropicRequires() {
    ObjectNode body =
        map(
            "{\"max_tokens\":9,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"now\"}}],\"messages\":[]}");

    assertThat(body.at("/tools/0"))
        .isEqualTo(
            json("{\"name\":\"now\",\"input_schema\":{\"type\":\"object\",\"properties\":{}}}"));
  }

  @Test
  void mapsStopArraysAndTheStreamFlag() {
    ObjectNode body =
        mapper.toMessagesBody(
            json(
                "{\"max_tokens\":9,\"stop\":[\"a\",\"b\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
            "m",
            true);

    assertThat(body.get("stop_sequences")).isEqualTo(json("{\"s\":[\"a\",\"b\"]}").get("s"));
    assertThat(body.get("stream").booleanValue()).isTrue();
  }

  @Test
  void capsTemperatureAtAnthropicsMaximumOfOne() {
    assertThat(
            map("{\"max_tokens\":9,\"temperature\":1.6,\"messages\":[]}")
                .get("temperature")
                .doubleValue())
        .isEqualTo(1.0);
  }

  @Test
  void turnsReasoningEffortIntoAThinkingBudget() {
    ObjectNode body =
        map("{\"max_tokens\":20000,\"reasoning\":{\"effort\":\"high\"},\"messages\":[]}");

    assertThat(body.get("thinking"))
        .isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":16384}"));
    assertThat(body.get("max_tokens").intValue()).isEqualTo(20000);
  }

  @Test
  void capsTheThinkingBudgetBelowMaxTokensInsteadOfRaisingMaxTokens() {
    ObjectNode body =
        map("{\"max_tokens\":3000,\"reasoning\":{\"max_tokens\":8000},\"messages\":[]}");

    assertThat(body.get("thinking"))
        .isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":2999}"));
    assertThat(body.get("max_tokens").intValue()).isEqualTo(3000);
  }

  @Test
  void leavesThinkingOffWhenTheBudgetWouldFallBelowAnthropicsMinimum() {
    assertThat(
            map("{\"max_tokens\":1000,\"reasoning\":{\"effort\":\"low\"},\"messages\":[]}")
                .has("thinking"))
        .isFalse();
    assertThat(
            map("{\"max_tokens\":9000,\"reasoning\":{\"enabled\":false,\"effort\":\"high\"},\"messages\":[]}")
                .has("thinking"))
        .isFalse();
    assertThat(
            map("{\"max_tokens\":9000,\"reasoning\":{\"enabled\":true},\"messages\":[]}")
                .at("/thinking/budget_tokens")
                .intValue())
        .isEqualTo(ThinkingBudget.MEDIUM);
  }

  @Test
  void dropsSamplingAnthropicRefusesWhileThinking() {
    ObjectNode body =
        map(
            "{\"max_tokens\":9000,\"reasoning\":{\"effort\":\"medium\"},\"temperature\":0.2,\"top_p\":0.5,\"top_k\":5,\"messages\":[]}");

    assertThat(body.has("thinking")).isTrue();
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("top_p")).isFalse();
    assertThat(body.has("top_k")).isFalse();
  }

  @Test
  void leavesThinkingOffWhenToolChoiceForcesATool() {
    ObjectNode body =
        map(
            """
            {"max_tokens":9000,"reasoning":{"effort":"medium"},"tool_choice":"required",
             "tools":[{"type":"function","function":{"name":"f"}}],"messages":[]}
            """);

    assertThat(body.has("thinking")).isFalse();
  }

  @Test
  void leavesThinkingOffMidToolLoopBecauseSignedThinkingBlocksAreNotCarried() {
    ObjectNode body =
        map(
"""
{"max_tokens":9000,"reasoning":{"effort":"medium"},"messages":[
  {"role":"user","content":"Weather?"},
  {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
  {"role":"tool","tool_call_id":"c","content":"sunny"}]}
""");

    assertThat(body.has("thinking")).isFalse();
  }

  @Test
  void refusesARequestWithoutMaxTokens() {
    assertThatThrownBy(() -> map("{\"messages\":[]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("max_tokens:");
  }

  @Test
  void refusesToolArgumentsThatAreNotAJsonObjectNamingTheField() {
    assertThatThrownBy(
            () ->
                map(
                    """
                    {"max_tokens":9,"messages":[{"role":"assistant","tool_calls":[
                      {"id":"c","type":"function","function":{"name":"f","arguments":"[1,2"}}]}]}
                    """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[0].tool_calls[0].function.arguments: must be a JSON object");
  }

  @Test
  void refusesPartTypesAnthropicCannotTake() {
    assertThatThrownBy(
            () ->
                map(
                    """
                    {"max_tokens":9,"messages":[{"role":"user","content":[
                      {"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]}
                    """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "messages[0].content[0].type: part type 'input_audio' is not supported by Anthropic");
  }
}
