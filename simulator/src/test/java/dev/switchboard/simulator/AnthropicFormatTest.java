package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.ANTHROPIC_AUTH;
import static dev.switchboard.simulator.SimClient.concat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicFormatTest extends SimulatorTest {
  static final String PATH = "/anthro/v1/messages";

  /** system (3 + 4) + user (3 + 6). */
  static final int PROMPT_TOKENS = 16;

  static final String TOOLS =
      "[{\"name\":\"get_weather\",\"description\":\"Weather\",\"input_schema\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},"
          + "\"required\":[\"city\",\"days\"]}}]";

  static String request(String extra) {
    return "{\"model\":\"claude-sim\",\"max_tokens\":1024,\"system\":\"You are terse.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the world.\"}]"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  @Test
  void nonStreamingMessageHasConsistentUsageAndShape() {
    JsonNode body = client.postJson(PATH, request(""), ANTHROPIC_AUTH);

    assertThat(body.path("id").asText()).startsWith("msg_");
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.path("role").asText()).isEqualTo("assistant");
    assertThat(body.path("model").asText()).isEqualTo("claude-sim");
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.path("stop_sequence").isNull()).isTrue();
    JsonNode block = body.path("content").get(0);
    assertThat(block.path("type").asText()).isEqualTo("text");
    int words = block.path("text").asText().split(" ").length;
    assertThat(body.path("usage").path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(words);
  }

  @Test
  void streamFollowsTheMessagesEventSequenceAndDeltasAddUpToOutputTokens() {
    String text =
        client
            .postJson(PATH, request(""), ANTHROPIC_AUTH)
            .path("content")
            .get(0)
            .path("text")
            .asText();

    SimClient.Transcript t = client.stream(PATH, request("\"stream\":true"), ANTHROPIC_AUTH);

    List<String> names = t.names();
    assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
    assertThat(names.subList(names.size() - 3, names.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");
    for (SimClient.Event e : t.events()) {
      assertThat(e.json().path("type").asText()).isEqualTo(e.name());
    }
    JsonNode start = t.events().get(0).json().path("message");
    assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(start.path("usage").path("output_tokens").asInt()).isEqualTo(1);
    StringBuilder streamed = new StringBuilder();
    int tokens = 0;
    for (JsonNode delta : deltas(t, "text_delta")) {
      streamed.append(delta.path("text").asText());
      tokens += Tokenizer.count(delta.path("text").asText());
    }
    assertThat(streamed.toString()).isEqualTo(text);
    JsonNode messageDelta = t.events().get(names.size() - 2).json();
    assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(tokens);
    assertThat(t.endedAbruptly()).isFalse();
  }

  @Test
  void maxTokensCapGivesMaxTokensStopReason() {
    JsonNode body = client.postJson(PATH, request("").replace("1024", "3"), ANTHROPIC_AUTH);

    assertThat(body.path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(3);
    assertThat(body.path("content").get(0).path("text").asText().split(" ")).hasSize(3);
  }

  @Test
  void stopSequenceReportsStopSequenceAndTheMatchedString() {
    String full =
        client
            .postJson(PATH, request(""), ANTHROPIC_AUTH)
            .path("content")
            .get(0)
            .path("text")
            .asText();
    String stop = " " + full.split(" ")[2];

    JsonNode body =
        client.postJson(PATH, request("\"stop_sequences\":[\"" + stop + "\"]"), ANTHROPIC_AUTH);
    SimClient.Transcript t =
        client.stream(
            PATH, request("\"stream\":true,\"stop_sequences\":[\"" + stop + "\"]"), ANTHROPIC_AUTH);

    assertThat(body.path("content").get(0).path("text").asText())
        .isEqualTo(full.substring(0, full.indexOf(stop)));
    assertThat(body.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(body.path("stop_sequence").asText()).isEqualTo(stop);
    JsonNode delta = t.events().get(t.events().size() - 2).json().path("delta");
    assertThat(delta.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(delta.path("stop_sequence").asText()).isEqualTo(stop);
  }

  @Test
  void toolsProduceAToolUseBlock() {
    JsonNode body = client.postJson(PATH, request("\"tools\":" + TOOLS), ANTHROPIC_AUTH);

    assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode block = body.path("content").get(0);
    assertThat(block.path("type").asText()).isEqualTo("tool_use");
    assertThat(block.path("id").asText()).startsWith("toolu_");
    assertThat(block.path("name").asText()).isEqualTo("get_weather");
    assertThat(block.path("input").toString()).isEqualTo("{\"city\":\"sample\",\"days\":1}");
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(18);
    assertThat(body.path("usage").path("input_tokens").asInt())
        .isEqualTo(PROMPT_TOKENS + Tokenizer.count(SimClient.json(TOOLS).toString()));
  }

  @Test
  void streamedToolUseSendsInputJsonDeltas() {
    SimClient.Transcript t =
        client.stream(PATH, request("\"stream\":true,\"tools\":" + TOOLS), ANTHROPIC_AUTH);

    JsonNode blockStart = t.events().get(1).json().path("content_block");
    assertThat(blockStart.path("type").asText()).isEqualTo("tool_use");
    assertThat(blockStart.path("name").asText()).isEqualTo("get_weather");
    assertThat(blockStart.path("input").isEmpty()).isTrue();
    StringBuilder json = new StringBuilder();
    deltas(t, "input_json_delta").forEach(d -> json.append(d.path("partial_json").asText()));
    assertThat(SimClient.json(json.toString()).toString())
        .isEqualTo("{\"city\":\"sample\",\"days\":1}");
    JsonNode messageDelta = t.events().get(t.events().size() - 2).json();
    assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(18);
  }

  @Test
  void toolChoiceNoneAndToolResultAnswerWithText() {
    String afterResult =
        "{\"model\":\"claude-sim\",\"max_tokens\":100,\"tools\":"
            + TOOLS
            + ",\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Weather?\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
            + "\"input\":{\"city\":\"Oslo\"}}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
            + "\"content\":\"sunny\"}]}]}";

    JsonNode none =
        client.postJson(
            PATH,
            request("\"tools\":" + TOOLS + ",\"tool_choice\":{\"type\":\"none\"}"),
            ANTHROPIC_AUTH);
    JsonNode answered = client.postJson(PATH, afterResult, ANTHROPIC_AUTH);

    assertThat(none.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(answered.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(answered.path("content").get(0).path("type").asText()).isEqualTo("text");
    // 3 messages x 3 + Weather? (2) + get_weather (3) + {"city":"Oslo"} (9) + sunny (1) + tools
    assertThat(answered.path("usage").path("input_tokens").asInt())
        .isEqualTo(9 + 2 + 3 + 9 + 1 + Tokenizer.count(SimClient.json(TOOLS).toString()));
  }

  @Test
  void thinkingProducesThinkingBlocksCountedInOutputTokens() {
    String thinking = "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}";
    JsonNode body = client.postJson(PATH, request(thinking), ANTHROPIC_AUTH);
    SimClient.Transcript t =
        client.stream(PATH, request("\"stream\":true," + thinking), ANTHROPIC_AUTH);

    JsonNode thinkingBlock = body.path("content").get(0);
    assertThat(thinkingBlock.path("type").asText()).isEqualTo("thinking");
    assertThat(thinkingBlock.path("signature").asText()).isNotEmpty();
    int thinkingTokens = Tokenizer.count(thinkingBlock.path("thinking").asText());
    int textTokens = Tokenizer.count(body.path("content").get(1).path("text").asText());
    assertThat(thinkingTokens).isEqualTo(ReasoningEffort.DEFAULT_TOKENS);
    assertThat(body.path("usage").path("output_tokens").asInt())
        .isEqualTo(thinkingTokens + textTokens);

    int streamedTokens = 0;
    for (JsonNode d : deltas(t, "thinking_delta")) {
      streamedTokens += Tokenizer.count(d.path("thinking").asText());
    }
    for (JsonNode d : deltas(t, "text_delta")) {
      streamedTokens += Tokenizer.count(d.path("text").asText());
    }
    assertThat(deltas(t, "signature_delta")).hasSize(1);
    assertThat(t.events().get(1).json().path("content_block").path("type").asText())
        .isEqualTo("thinking");
    assertThat(
            t.events()
                .get(t.events().size() - 2)
                .json()
                .path("usage")
                .path("output_tokens")
                .asInt())
        .isEqualTo(streamedTokens)
        .isEqualTo(thinkingTokens + textTokens);
  }

  @Test
  void imageBlocksCountAFixedAmountEach() {
    String body =
        "{\"model\":\"claude-sim\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
            + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}},"
            + "{\"type\":\"text\",\"text\":\"Compare these\"}]}]}";

    JsonNode reply = client.postJson(PATH, body, ANTHROPIC_AUTH);

    assertThat(reply.path("usage").path("input_tokens").asInt()).isEqualTo(3 + 2 * 85 + 2);
  }

  @Test
  void missingMaxTokensIsA400InAnthropicShape() {
    HttpResponse<String> response =
        client.post(PATH, request("").replace("\"max_tokens\":1024,", ""), ANTHROPIC_AUTH);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = SimClient.json(response.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").path("message").asText()).contains("max_tokens");
  }

  @Test
  void missingApiKeyIsA401AndMissingVersionA400() {
    HttpResponse<String> noKey = client.post(PATH, request(""), "anthropic-version", "2023-06-01");
    HttpResponse<String> noVersion = client.post(PATH, request(""), "x-api-key", "k");

    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(SimClient.json(noKey.body()).path("error").path("type").asText())
        .isEqualTo("authentication_error");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(noVersion.body()).path("error").path("message").asText())
        .contains("anthropic-version");
  }

  @Test
  void malformedJsonIsA400InAnthropicShape() {
    HttpResponse<String> response = client.post(PATH, "{not json", ANTHROPIC_AUTH);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(response.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void modelListUsesAnthropicShapeForAnthropicClients() {
    HttpResponse<String> response = client.send("GET", "/anthro/v1/models", null, ANTHROPIC_AUTH);

    JsonNode body = SimClient.json(response.body());
    assertThat(body.path("data").get(0).path("type").asText()).isEqualTo("model");
    assertThat(body.path("has_more").asBoolean()).isFalse();
  }

  @Test
  void completionTokensHeaderAppliesToAnthropicToo() {
    JsonNode body =
        client.postJson(PATH, request(""), concat(ANTHROPIC_AUTH, "x-sim-completion-tokens", "2"));

    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void promptTokensHeaderReplacesTheCountedPromptTokensInUsage() {
    JsonNode body =
        client.postJson(PATH, request(""), concat(ANTHROPIC_AUTH, "x-sim-prompt-tokens", "9000"));

    assertThat(body.path("usage").path("input_tokens").asInt()).isEqualTo(9000);
  }

  static List<JsonNode> deltas(SimClient.Transcript t, String type) {
    List<JsonNode> deltas = new ArrayList<>();
    for (SimClient.Event e : t.events()) {
      if ("content_block_delta".equals(e.name())
          && type.equals(e.json().path("delta").path("type").asText())) {
        deltas.add(e.json().path("delta"));
      }
    }
    return deltas;
  }
}
