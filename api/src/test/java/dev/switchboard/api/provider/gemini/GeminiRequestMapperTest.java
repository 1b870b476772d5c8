package dev.switchboard.api.provider.gemini;

import static dev.switchboard.api.provider.gemini.ChatRequestBuilder.chat;
import static dev.switchboard.api.provider.gemini.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiRequestMapperTest {

  private static final String BASE = "http://127.0.0.1:18080/acme/v1beta";

  private final GeminiRequestMapper mapper = new GeminiRequestMapper();

  private ObjectNode body(ChatRequestBuilder request) {
    return mapper.toBody(request.build());
  }

  @Test
  void postsToGenerateContentWithTheApiKeyHeaderAndNoTimeout() {
    HttpRequest request = mapper.toHttpRequest(chat().user("Hi").call(BASE, false));

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri())
        .isEqualTo(URI.create(BASE + "/models/gemini-2.5-flash:generateContent"));
    assertThat(request.headers().firstValue("x-goog-api-key")).contains(ChatRequestBuilder.API_KEY);
    assertThat(request.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(request.timeout()).isEmpty();
    assertThat(request.bodyPublisher().orElseThrow().contentLength()).isPositive();
  }

  @Test
  void streamsFromStreamGenerateContentAsServerSentEvents() {
    HttpRequest request = mapper.toHttpRequest(chat().user("Hi").call(BASE, true));

    assertThat(request.uri())
        .isEqualTo(URI.create(BASE + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
    assertThat(request.headers().firstValue("Accept")).contains("text/event-stream");
  }

  @Test
  void joinsBaseUrlWithATrailingSlashWithoutDoublingIt() {
    HttpRequest request = mapper.toHttpRequest(chat().user("Hi").call(BASE + "/", false));

    assertThat(request.uri())
        .isEqualTo(URI.create(BASE + "/models/gemini-2.5-flash:generateContent"));
  }

  @Test
  void mapsASimpleChatToContentsAndGenerationConfig() {
    assertThat(
            body(
                chat()
                    .user("Say hello to the world.")
                    .with("max_tokens", "256")
                    .with("user", "\"u-1\"")))
        .isEqualTo(
            json(
                """
                {"contents":[{"role":"user","parts":[{"text":"Say hello to the world."}]}],
                 "generationConfig":{"maxOutputTokens":256}}
                """));
  }

  @Test
  void mapsSystemAndDeveloperMessagesToSystemInstruction() {
    ObjectNode body =
        body(chat().system("You are terse.").developer("Answer in French.").user("Hi"));

    assertThat(body.get("systemInstruction"))
        .isEqualTo(
            json("{\"parts\":[{\"text\":\"You are terse.\"},{\"text\":\"Answer in French.\"}]}"));
    assertThat(body.get("contents"))
        .isEqualTo(json("[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]"));
  }

  @Test
  void mapsAMultiTurnConversationToUserAndModelTurns() {
    ObjectNode body = body(chat().user("Hi").assistant("Hello!").user("Tell me a joke."));

    assertThat(body.get("contents"))
        .isEqualTo(
            json(
                """
                [{"role":"user","parts":[{"text":"Hi"}]},
                 {"role":"model","parts":[{"text":"Hello!"}]},
                 {"role":"user","parts":[{"text":"Tell me a joke."}]}]
                """));
  }

  @Test
  void mergesConsecutiveMessagesOfTheSameRoleIntoOneTurn() {
    ObjectNode body = body(chat().user("First.").user("Second.").assistant("A").assistant("B"));

    assertThat(body.get("contents"))
        .isEqualTo(
            json(
                """
                [{"role":"user","parts":[{"text":"First."},{"text":"Second."}]},
                 {"role":"model","parts":[{"text":"A"},{"text":"B"}]}]
                """));
  }

  @Test
  void leavesOutEmptyTextBecauseGeminiRefusesEmptyParts() {
    ObjectNode body = body(chat().user("Hi").assistant("").user("Again"));

    assertThat(body.get("contents"))
        .isEqualTo(
            json("[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"},{\"text\":\"Again\"}]}]"));
  }

  @Test
  void sendsDataUrlImagesInlineAndRemoteImagesByReference() {
    ObjectNode body =
        body(
            chat()
                .message(
                    """
                    {"role":"user","content":[
                      {"type":"text","text":"Compare these."},
                      {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                      {"type":"image_url","image_url":{"url":"https://example.com/cat.webp?size=large"}},
                      {"type":"image_url","image_url":{"url":"https://example.com/photos/42"}}]}
                    """));

    assertThat(body.get("contents"))
        .isEqualTo(
            json(
                """
                [{"role":"user","parts":[
                  {"text":"Compare these."},
                  {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                  {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.webp?size=large"}},
                  {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/photos/42"}}]}]
                """));
  }

  @Test
  void mapsAssistantToolCallsToFunctionCallParts() {
    ObjectNode body =
        body(
            chat()
                .user("Weather in Paris and Rome?")
                .message(
                    """
                    {"role":"assistant","content":"Checking.","tool_calls":[
                      {"id":"call_a","type":"function",
                       "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                      {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":""}}]}
                    """));

    assertThat(body.get("contents").get(1))
        .isEqualTo(
            json(
                """
                {"role":"model","parts":[
                  {"text":"Checking."},
                  {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                  {"functionCall":{"name":"get_weather","args":{}}}]}
                """));
  }

  @Test
  void mapsToolResultsToFunctionResponsesNamedAfterTheirCalls() {
    ObjectNode body =
        body(
            chat()
                .user("Weather and time in Paris?")
                .message(
                    """
                    {"role":"assistant","content":null,"tool_calls":[
                      {"id":"call_w","type":"function","function":{"name":"get_weather","arguments":"{}"}},
                      {"id":"call_t","type":"function","function":{"name":"get_time","arguments":"{}"}}]}
                    """)
                .toolResult("call_w", "{\"temp_c\":21}")
                .toolResult("call_t", "half past two"));

    assertThat(body.get("contents").get(2))
        .isEqualTo(
            json(
                """
                {"role":"user","parts":[
                  {"functionResponse":{"name":"get_weather","response":{"content":{"temp_c":21}}}},
                  {"functionResponse":{"name":"get_time","response":{"content":{"result":"half past two"}}}}]}
                """));
  }

  @Test
  void namesAToolResultAfterTheLatestCallWithItsId() {
    ObjectNode body =
        body(
            chat()
                .user("Go")
                .assistantToolCall("call_0", "first_tool", "{}")
                .toolResult("call_0", "1")
                .assistantToolCall("call_0", "second_tool", "{}")
                .toolResult("call_0", "2"));

    assertThat(body.at("/contents/4/parts/0/functionResponse/name").asText())
        .isEqualTo("second_tool");
  }

  @Test
  void declaresFunctionsWithoutTheSchemaKeywordsGeminiRejects() {
    ObjectNode body =
        body(
            chat()
                .user("Weather?")
                .with(
                    "tools",
                    """
                    [{"type":"function","function":{"name":"get_weather","description":"Current weather",
                      "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                        "additionalProperties":false,"required":["city"],
                        "properties":{
                          "city":{"type":"string","description":"City name"},
                          "additionalProperties":{"type":"object","additionalProperties":{"type":"string"}},
                          "days":{"type":"array","items":{"type":"object","additionalProperties":false,
                            "properties":{"date":{"type":"string"}}}}}}}},
                     {"type":"function","function":{"name":"get_time",
                      "parameters":{"type":"object","properties":{}}}}]
                    """));

    assertThat(body.get("tools"))
        .isEqualTo(
            json(
                """
                [{"functionDeclarations":[
                  {"name":"get_weather","description":"Current weather",
                   "parameters":{"type":"object","required":["city"],
                     "properties":{
                       "city":{"type":"string","description":"City name"},
                       "additionalProperties":{"type":"object"},
                       "days":{"type":"array","items":{"type":"object",
                         "properties":{"date":{"type":"string"}}}}}}},
                  {"name":"get_time"}]}]
                """));
  }

  @ParameterizedTest
  @CsvSource({"'\"auto\"', AUTO", "'\"none\"', NONE", "'\"required\"', ANY"})
  void mapsToolChoiceToAFunctionCallingMode(String toolChoice, String mode) {
    ObjectNode body = body(chat().user("Hi").with("tool_choice", toolChoice));

    assertThat(body.get("toolConfig"))
        .isEqualTo(json("{\"functionCallingConfig\":{\"mode\":\"" + mode + "\"}}"));
  }

  @Test
  void restrictsANamedToolChoiceToThatFunction() {
    ObjectNode body =
        body(
            chat()
                .user("Hi")
                .with(
                    "tool_choice", "{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"));

    assertThat(body.get("toolConfig"))
        .isEqualTo(
            json(
                "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_time\"]}}"));
  }

  @Test
  void mapsSamplingAndLengthSettingsToGenerationConfig() {
    ObjectNode body =
        body(
            chat()
                .user("Hi")
                .with("max_tokens", "300")
                .with("temperature", "0.4")
                .with("top_p", "0.9")
                .with("top_k", "40")
                .with("seed", "7")
                .with("stop", "[\"END\",\"###\"]"));

    assertThat(body.get("generationConfig"))
        .isEqualTo(
            json(
                """
                {"maxOutputTokens":300,"temperature":0.4,"topP":0.9,"topK":40,"seed":7,
                 "stopSequences":["END","###"]}
                """));
  }

  @Test
  void turnsASingleStopStringIntoAOneElementList() {
    ObjectNode body = body(chat().user("Hi").with("stop", "\"END\""));

    assertThat(body.at("/generationConfig/stopSequences")).isEqualTo(json("[\"END\"]"));
  }

  @Test
  void asksForJsonOutputForJsonObjectResponseFormat() {
    ObjectNode body = body(chat().user("Hi").with("response_format", "{\"type\":\"json_object\"}"));

    assertThat(body.at("/generationConfig/responseMimeType").asText())
        .isEqualTo("application/json");
    assertThat(body.at("/generationConfig/responseSchema").isMissingNode()).isTrue();
  }

  @Test
  void passesAJsonSchemaResponseFormatAsResponseSchema() {
    ObjectNode body =
        body(
            chat()
                .user("Hi")
                .with(
                    "response_format",
                    """
                    {"type":"json_schema","json_schema":{"name":"person","strict":true,
                     "schema":{"type":"object","additionalProperties":false,
                       "properties":{"name":{"type":"string"}},"required":["name"]}}}
                    """));

    JsonNode config = body.get("generationConfig");
    assertThat(config.get("responseMimeType").asText()).isEqualTo("application/json");
    assertThat(config.get("responseSchema"))
        .isEqualTo(
            json(
                """
                {"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}
                """));
  }

  @ParameterizedTest
  @CsvSource({"low, 1024", "medium, 8192", "high, 24576"})
  void mapsReasoningEffortToAThinkingBudgetShowingThoughts(String effort, int budget) {
    ObjectNode body = body(chat().user("Hi").with("reasoning", "{\"effort\":\"" + effort + "\"}"));

    assertThat(body.at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingBudget\":" + budget + ",\"includeThoughts\":true}"));
  }

  @Test
  void prefersReasoningMaxTokensOverEffortAsTheBudget() {
    ObjectNode body =
        body(chat().user("Hi").with("reasoning", "{\"effort\":\"high\",\"max_tokens\":2000}"));

    assertThat(body.at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingBudget\":2000,\"includeThoughts\":true}"));
  }

  @Test
  void hidesThoughtsWhenReasoningIsExcluded() {
    ObjectNode body =
        body(chat().user("Hi").with("reasoning", "{\"effort\":\"low\",\"exclude\":true}"));

    assertThat(body.at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingBudget\":1024,\"includeThoughts\":false}"));
  }

  @Test
  void keepsTheModelsDefaultBudgetWhenReasoningIsOnlyEnabled() {
    ObjectNode body = body(chat().user("Hi").with("reasoning", "{\"enabled\":true}"));

    assertThat(body.at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"includeThoughts\":true}"));
  }

  @Test
  void turnsThinkingOffWhenReasoningIsDisabled() {
    ObjectNode body = body(chat().user("Hi").with("reasoning", "{\"enabled\":false}"));

    assertThat(body.at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"thinkingBudget\":0}"));
  }

  @Test
  void sendsNoThinkingConfigWithoutReasoning() {
    ObjectNode body = body(chat().user("Hi"));

    assertThat(body.at("/generationConfig/thinkingConfig").isMissingNode()).isTrue();
  }
}
