package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.OPENAI_AUTH;
import static dev.switchboard.simulator.SimClient.concat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiFormatTest extends SimulatorTest {
  static final String PATH = "/acme/v1/chat/completions";
  static final String MESSAGES =
      "[{\"role\":\"system\",\"content\":\"You are terse.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hello to the world.\"}]";

  /** 2 messages x 3 overhead + "You are terse." (4) + "Say hello to the world." (6). */
  static final int PROMPT_TOKENS = 16;

  static final String TOOLS =
      "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"},"
          + "\"metric\":{\"type\":\"boolean\"}},\"required\":[\"city\",\"days\"]}}},"
          + "{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\","
          + "\"properties\":{\"exact\":{\"type\":\"boolean\"},\"tags\":{\"type\":\"array\"}},"
          + "\"required\":[\"exact\",\"tags\"]}}}]";

  static String request(String extra) {
    return "{\"model\":\"gpt-sim\",\"messages\":"
        + MESSAGES
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  @Test
  void nonStreamingReplyHasConsistentUsageAndShape() {
    JsonNode body = client.postJson(PATH, request(""), OPENAI_AUTH);

    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("gpt-sim");
    assertThat(body.path("created").asLong()).isPositive();
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    String content = choice.path("message").path("content").asText();
    int words = content.split(" ").length;
    assertThat(words)
        .isBetween(CompletionPlan.MIN_DEFAULT_LENGTH, CompletionPlan.MAX_DEFAULT_LENGTH);
    JsonNode usage = body.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(words);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + words);
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isZero();
  }

  @Test
  void streamedChunksAddUpToReportedUsageAndMatchNonStreamedText() {
    String text =
        client
            .postJson(PATH, request(""), OPENAI_AUTH)
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();

    SimClient.Transcript t =
        client.stream(
            PATH,
            request("\"stream\":true,\"stream_options\":{\"include_usage\":true}"),
            OPENAI_AUTH);

    assertThat(t.status()).isEqualTo(200);
    assertThat(t.contentType()).startsWith("text/event-stream");
    assertThat(t.endedAbruptly()).isFalse();
    List<JsonNode> chunks = t.jsonEvents();
    assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText())
        .isEqualTo("assistant");
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    StringBuilder streamed = new StringBuilder();
    int contentChunks = 0;
    for (JsonNode chunk : chunks) {
      JsonNode choices = chunk.path("choices");
      String piece =
          choices.isEmpty() ? "" : choices.get(0).path("delta").path("content").asText("");
      if (!piece.isEmpty()) {
        contentChunks++;
        streamed.append(piece);
      }
    }
    assertThat(streamed.toString()).isEqualTo(text);
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(contentChunks);
    assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(usageChunk.path("usage").path("total_tokens").asInt())
        .isEqualTo(PROMPT_TOKENS + contentChunks);
    assertThat(t.data()).last().isEqualTo("[DONE]");
  }

  @Test
  void streamWithoutIncludeUsageCarriesNoUsage() {
    SimClient.Transcript t = client.stream(PATH, request("\"stream\":true"), OPENAI_AUTH);

    assertThat(t.jsonEvents()).allSatisfy(c -> assertThat(c.has("usage")).isFalse());
    assertThat(t.data()).last().isEqualTo("[DONE]");
  }

  @Test
  void sameRequestGivesSameTextAndDifferentPromptGivesDifferentText() {
    String first = content(client.postJson(PATH, request(""), OPENAI_AUTH));
    String second = content(client.postJson(PATH, request(""), OPENAI_AUTH));
    String other =
        content(
            client.postJson(
                PATH,
                "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"Something else\"}]}",
                OPENAI_AUTH));

    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void maxTokensTruncatesToAPrefixWithLengthFinish() {
    String full = content(client.postJson(PATH, request(""), OPENAI_AUTH));

    JsonNode capped = client.postJson(PATH, request("\"max_completion_tokens\":5"), OPENAI_AUTH);
    JsonNode legacy = client.postJson(PATH, request("\"max_tokens\":4"), OPENAI_AUTH);

    assertThat(content(capped)).isEqualTo(String.join(" ", List.of(full.split(" ")).subList(0, 5)));
    assertThat(capped.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(capped.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(legacy.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
    assertThat(legacy.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void completionTokensHeaderSetsTheLength() {
    JsonNode body =
        client.postJson(PATH, request(""), concat(OPENAI_AUTH, "x-sim-completion-tokens", "7"));

    assertThat(content(body).split(" ")).hasSize(7);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void stopSequenceTruncatesBeforeItWithStopFinish() {
    String full = content(client.postJson(PATH, request(""), OPENAI_AUTH));
    String stop = " " + full.split(" ")[3];
    String expected = full.substring(0, full.indexOf(stop));

    JsonNode body =
        client.postJson(PATH, request("\"stop\":[\"zzz-never\",\"" + stop + "\"]"), OPENAI_AUTH);

    assertThat(content(body)).isEqualTo(expected);
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.path("usage").path("completion_tokens").asInt())
        .isEqualTo(Tokenizer.count(expected));
  }

  @Test
  void toolsProduceOneCallToTheFirstToolWithSchemaArguments() {
    JsonNode body = client.postJson(PATH, request("\"tools\":" + TOOLS), OPENAI_AUTH);

    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.path("message").path("content").isNull()).isTrue();
    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertThat(call.path("id").asText()).startsWith("call_");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asText())
        .isEqualTo("{\"city\":\"sample\",\"days\":1}");
    JsonNode usage = body.path("usage");
    assertThat(usage.path("prompt_tokens").asInt())
        .isEqualTo(PROMPT_TOKENS + Tokenizer.count(SimClient.json(TOOLS).toString()));
    // get _ weather (3) + {"city":"sample","days":1} (15)
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(18);
    assertThat(usage.path("total_tokens").asInt())
        .isEqualTo(usage.path("prompt_tokens").asInt() + 18);
  }

  @Test
  void namedToolChoiceCallsThatToolAndNoneAnswersWithText() {
    JsonNode named =
        client.postJson(
            PATH,
            request(
                "\"tools\":"
                    + TOOLS
                    + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}"),
            OPENAI_AUTH);
    JsonNode none =
        client.postJson(
            PATH, request("\"tools\":" + TOOLS + ",\"tool_choice\":\"none\""), OPENAI_AUTH);

    JsonNode function =
        named.path("choices").get(0).path("message").path("tool_calls").get(0).path("function");
    assertThat(function.path("name").asText()).isEqualTo("lookup");
    assertThat(function.path("arguments").asText()).isEqualTo("{\"exact\":true,\"tags\":null}");
    assertThat(none.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(content(none)).isNotEmpty();
  }

  @Test
  void toolResultAsLastMessageGetsATextAnswer() {
    String messages =
        "[{\"role\":\"user\",\"content\":\"Weather?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]";
    JsonNode body =
        client.postJson(
            PATH,
            "{\"model\":\"gpt-sim\",\"messages\":" + messages + ",\"tools\":" + TOOLS + "}",
            OPENAI_AUTH);

    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(content(body)).isNotEmpty();
    // 3 messages x 3 + "Weather?" (2) + get_weather (3) + {} (2) + sunny (1) + tools JSON
    assertThat(body.path("usage").path("prompt_tokens").asInt())
        .isEqualTo(9 + 2 + 3 + 2 + 1 + Tokenizer.count(SimClient.json(TOOLS).toString()));
  }

  @Test
  void streamedToolCallUsesIncrementalArgumentFragments() {
    SimClient.Transcript t =
        client.stream(
            PATH,
            request(
                "\"stream\":true,\"tools\":"
                    + TOOLS
                    + ",\"stream_options\":{\"include_usage\":true}"),
            OPENAI_AUTH);

    List<JsonNode> chunks = t.jsonEvents();
    JsonNode first = chunks.get(0).path("choices").get(0).path("delta").path("tool_calls").get(0);
    assertThat(first.path("index").asInt()).isZero();
    assertThat(first.path("id").asText()).startsWith("call_");
    assertThat(first.path("function").path("name").asText()).isEqualTo("get_weather");
    StringBuilder arguments = new StringBuilder();
    int fragments = 0;
    for (JsonNode chunk : chunks.subList(1, chunks.size())) {
      JsonNode calls = chunk.path("choices").path(0).path("delta").path("tool_calls");
      if (calls.isArray()) {
        assertThat(calls.get(0).has("id")).isFalse();
        arguments.append(calls.get(0).path("function").path("arguments").asText());
        fragments++;
      }
    }
    assertThat(fragments).isGreaterThan(1);
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"sample\",\"days\":1}");
    assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("tool_calls");
    assertThat(chunks.get(chunks.size() - 1).path("usage").path("completion_tokens").asInt())
        .isEqualTo(18);
  }

  @Test
  void imagePartsCountAFixedAmountEach() {
    String body =
        "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"text\",\"text\":\"What is this?\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}";

    JsonNode reply = client.postJson(PATH, body, OPENAI_AUTH);

    assertThat(reply.path("usage").path("prompt_tokens").asInt()).isEqualTo(3 + 4 + 2 * 85);
  }

  @Test
  void reasoningEffortReportsHiddenReasoningTokens() {
    JsonNode body = client.postJson(PATH, request("\"reasoning_effort\":\"low\""), OPENAI_AUTH);

    int visible = content(body).split(" ").length;
    JsonNode usage = body.path("usage");
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
        .isEqualTo(8);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(visible + 8);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + visible + 8);
  }

  @Test
  void missingAuthIsA401InOpenAiShape() {
    HttpResponse<String> response = client.post(PATH, request(""));

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = SimClient.json(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).contains("API key");
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
  }

  @Test
  void malformedJsonIsA400InOpenAiShape() {
    HttpResponse<String> response =
        client.post(PATH, "{\"model\": \"gpt-sim\", \"messages\": [", OPENAI_AUTH);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(response.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void missingMessagesIsA400() {
    HttpResponse<String> response = client.post(PATH, "{\"model\":\"gpt-sim\"}", OPENAI_AUTH);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(response.body()).path("error").path("message").asText())
        .contains("messages");
  }

  @Test
  void unknownPathIsA404() {
    assertThat(client.post("/acme/v1/unknown", "{}", OPENAI_AUTH).statusCode()).isEqualTo(404);
    assertThat(client.post("/nothing", "{}", OPENAI_AUTH).statusCode()).isEqualTo(404);
  }

  @Test
  void modelListUsesOpenAiShape() {
    HttpResponse<String> response = client.send("GET", "/acme/v1/models", null, OPENAI_AUTH);

    JsonNode body = SimClient.json(response.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").get(0).path("object").asText()).isEqualTo("model");
  }

  static String content(JsonNode body) {
    return body.path("choices").get(0).path("message").path("content").asText();
  }
}
