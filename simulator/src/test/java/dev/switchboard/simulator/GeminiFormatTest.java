package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.GEMINI_AUTH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiFormatTest extends SimulatorTest {
  static final String GENERATE = "/gem/v1beta/models/gemini-sim:generateContent";
  static final String STREAM = "/gem/v1beta/models/gemini-sim:streamGenerateContent?alt=sse";

  /** systemInstruction (3 + 4) + user (3 + 6). */
  static final int PROMPT_TOKENS = 16;

  static final String TOOLS =
      "[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":"
          + "{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"},\"days\":{\"type\":\"INTEGER\"}},"
          + "\"required\":[\"city\",\"days\"]}}]}]";

  static String request(String extra) {
    return "{\"systemInstruction\":{\"parts\":[{\"text\":\"You are terse.\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello to the world.\"}]}]"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  @Test
  void generateContentHasConsistentUsageMetadata() {
    JsonNode body = client.postJson(GENERATE, request(""), GEMINI_AUTH);

    JsonNode candidate = body.path("candidates").get(0);
    assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    String text = candidate.path("content").path("parts").get(0).path("text").asText();
    int words = text.split(" ").length;
    JsonNode usage = body.path("usageMetadata");
    assertThat(usage.path("promptTokenCount").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(usage.path("candidatesTokenCount").asInt()).isEqualTo(words);
    assertThat(usage.path("totalTokenCount").asInt()).isEqualTo(PROMPT_TOKENS + words);
    assertThat(usage.has("thoughtsTokenCount")).isFalse();
    assertThat(body.path("modelVersion").asText()).isEqualTo("gemini-sim");
    assertThat(body.path("responseId").asText()).isNotEmpty();
  }

  @Test
  void sseStreamPutsUsageAndFinishReasonOnTheLastChunkOnly() {
    String text =
        client
            .postJson(GENERATE, request(""), GEMINI_AUTH)
            .path("candidates")
            .get(0)
            .path("content")
            .path("parts")
            .get(0)
            .path("text")
            .asText();

    SimClient.Transcript t = client.stream(STREAM, request(""), GEMINI_AUTH);

    List<JsonNode> chunks = t.jsonEvents();
    StringBuilder streamed = new StringBuilder();
    int tokens = 0;
    for (JsonNode chunk : chunks) {
      String piece =
          chunk
              .path("candidates")
              .get(0)
              .path("content")
              .path("parts")
              .get(0)
              .path("text")
              .asText();
      streamed.append(piece);
      tokens += Tokenizer.count(piece);
    }
    assertThat(streamed.toString()).isEqualTo(text);
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.path("candidates").get(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(last.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(tokens);
    assertThat(last.path("usageMetadata").path("totalTokenCount").asInt())
        .isEqualTo(PROMPT_TOKENS + tokens);
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allSatisfy(
            c -> {
              assertThat(c.has("usageMetadata")).isFalse();
              assertThat(c.path("candidates").get(0).has("finishReason")).isFalse();
            });
  }

  @Test
  void sseEventsUseCrlfLineEndingsLikeTheRealApi() {
    HttpResponse<String> response = client.post(STREAM, request(""), GEMINI_AUTH);

    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body()).startsWith("data: {").endsWith("}\r\n\r\n");
  }

  @Test
  void streamWithoutAltSseReturnsAJsonArrayOfTheSameChunks() {
    HttpResponse<String> response =
        client.post(STREAM.replace("?alt=sse", ""), request(""), GEMINI_AUTH);

    JsonNode array = SimClient.json(response.body());
    assertThat(array.isArray()).isTrue();
    assertThat(array.get(array.size() - 1).path("usageMetadata").path("promptTokenCount").asInt())
        .isEqualTo(PROMPT_TOKENS);
  }

  @Test
  void maxOutputTokensGivesMaxTokensFinish() {
    JsonNode body =
        client.postJson(
            GENERATE, request("\"generationConfig\":{\"maxOutputTokens\":4}"), GEMINI_AUTH);

    assertThat(body.path("candidates").get(0).path("finishReason").asText())
        .isEqualTo("MAX_TOKENS");
    assertThat(body.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(4);
  }

  @Test
  void stopSequencesTruncateWithStopFinish() {
    String full =
        client
            .postJson(GENERATE, request(""), GEMINI_AUTH)
            .path("candidates")
            .get(0)
            .path("content")
            .path("parts")
            .get(0)
            .path("text")
            .asText();
    String stop = " " + full.split(" ")[5];

    JsonNode body =
        client.postJson(
            GENERATE,
            request("\"generationConfig\":{\"stopSequences\":[\"" + stop + "\"]}"),
            GEMINI_AUTH);

    JsonNode candidate = body.path("candidates").get(0);
    assertThat(candidate.path("content").path("parts").get(0).path("text").asText())
        .isEqualTo(full.substring(0, full.indexOf(stop)));
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void functionDeclarationsProduceAFunctionCallPart() {
    JsonNode body = client.postJson(GENERATE, request("\"tools\":" + TOOLS), GEMINI_AUTH);
    SimClient.Transcript t = client.stream(STREAM, request("\"tools\":" + TOOLS), GEMINI_AUTH);

    JsonNode call =
        body.path("candidates").get(0).path("content").path("parts").get(0).path("functionCall");
    assertThat(call.path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("args").toString()).isEqualTo("{\"city\":\"sample\",\"days\":1}");
    assertThat(body.path("candidates").get(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(body.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(18);
    assertThat(body.path("usageMetadata").path("promptTokenCount").asInt())
        .isEqualTo(PROMPT_TOKENS + Tokenizer.count(SimClient.json(TOOLS).toString()));

    JsonNode streamedCall =
        t.jsonEvents()
            .get(0)
            .path("candidates")
            .get(0)
            .path("content")
            .path("parts")
            .get(0)
            .path("functionCall");
    assertThat(streamedCall.path("args").toString()).isEqualTo("{\"city\":\"sample\",\"days\":1}");
    JsonNode last = t.jsonEvents().get(t.jsonEvents().size() - 1);
    assertThat(last.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(18);
  }

  @Test
  void functionResponseAsLastTurnAndModeNoneAnswerWithText() {
    String afterResponse =
        "{\"tools\":"
            + TOOLS
            + ",\"contents\":["
            + "{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]},"
            + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{}}}]},"
            + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\","
            + "\"response\":{\"sky\":\"sunny\"}}}]}]}";

    JsonNode answered = client.postJson(GENERATE, afterResponse, GEMINI_AUTH);
    JsonNode none =
        client.postJson(
            GENERATE,
            request(
                "\"tools\":"
                    + TOOLS
                    + ",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"NONE\"}}"),
            GEMINI_AUTH);

    assertThat(answered.path("candidates").get(0).path("content").path("parts").get(0).has("text"))
        .isTrue();
    assertThat(none.path("candidates").get(0).path("content").path("parts").get(0).has("text"))
        .isTrue();
    // 3 x 3 + Weather? (2) + get_weather x2 (6) + {} (2) + {"sky":"sunny"} (9) + tools
    assertThat(answered.path("usageMetadata").path("promptTokenCount").asInt())
        .isEqualTo(9 + 2 + 6 + 2 + 9 + Tokenizer.count(SimClient.json(TOOLS).toString()));
  }

  @Test
  void inlineAndFileDataPartsCountAFixedAmountEach() {
    String body =
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Describe\"},"
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
            + "{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"gs://b/a.png\"}}]}]}";

    JsonNode reply = client.postJson(GENERATE, body, GEMINI_AUTH);

    assertThat(reply.path("usageMetadata").path("promptTokenCount").asInt())
        .isEqualTo(3 + 1 + 2 * 85);
  }

  @Test
  void thinkingConfigReportsThoughtsAndShowsThemWhenAsked() {
    String config =
        "\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":1024,\"includeThoughts\":true}}";

    JsonNode body = client.postJson(GENERATE, request(config), GEMINI_AUTH);
    SimClient.Transcript t = client.stream(STREAM, request(config), GEMINI_AUTH);

    JsonNode parts = body.path("candidates").get(0).path("content").path("parts");
    assertThat(parts.get(0).path("thought").asBoolean()).isTrue();
    int thoughts = Tokenizer.count(parts.get(0).path("text").asText());
    int visible = Tokenizer.count(parts.get(1).path("text").asText());
    JsonNode usage = body.path("usageMetadata");
    assertThat(usage.path("thoughtsTokenCount").asInt()).isEqualTo(thoughts).isEqualTo(16);
    assertThat(usage.path("candidatesTokenCount").asInt()).isEqualTo(visible);
    assertThat(usage.path("totalTokenCount").asInt()).isEqualTo(PROMPT_TOKENS + thoughts + visible);

    int streamedThoughts = 0;
    for (JsonNode chunk : t.jsonEvents()) {
      JsonNode part = chunk.path("candidates").get(0).path("content").path("parts").get(0);
      if (part.path("thought").asBoolean()) {
        streamedThoughts += Tokenizer.count(part.path("text").asText());
      }
    }
    assertThat(streamedThoughts).isEqualTo(16);
  }

  @Test
  void apiKeyMayComeFromTheQueryString() {
    HttpResponse<String> response = client.post(GENERATE + "?key=AIza-query", request(""));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void missingKeyIsA401InGoogleShape() {
    HttpResponse<String> response = client.post(GENERATE, request(""));

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = SimClient.json(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(401);
    assertThat(error.path("status").asText()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void malformedJsonAndMissingContentsAre400sInGoogleShape() {
    HttpResponse<String> malformed = client.post(GENERATE, "{\"contents\": [}", GEMINI_AUTH);
    HttpResponse<String> empty = client.post(GENERATE, "{}", GEMINI_AUTH);

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(malformed.body()).path("error").path("status").asText())
        .isEqualTo("INVALID_ARGUMENT");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(SimClient.json(empty.body()).path("error").path("message").asText())
        .contains("contents");
  }

  @Test
  void modelListUsesGoogleShape() {
    HttpResponse<String> response = client.send("GET", "/gem/v1beta/models", null, GEMINI_AUTH);

    assertThat(SimClient.json(response.body()).path("models").get(0).path("name").asText())
        .startsWith("models/");
  }
}
