package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionsProtocolTest {

  private final CompletionsProtocol protocol = new CompletionsProtocol();

  private static ApiException refusal(String body) {
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> CompletionsProtocol.toChatRequest(json(body)));
    assertThat(e).as("the request should have been refused").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e;
  }

  /** The JSON of one {@code data:} frame. */
  private static JsonNode frameJson(byte[] frame) throws IOException {
    String text = new String(frame, StandardCharsets.UTF_8);
    assertThat(text).startsWith("data: ").endsWith("\n\n");
    return Json.MAPPER.readTree(text.substring("data: ".length(), text.length() - 2));
  }

  // ---- requests ---------------------------------------------------------------------------------

  @Test
  void turnsThePromptIntoOneUserMessageAndKeepsTheOtherFields() {
    ObjectNode chat =
        CompletionsProtocol.toChatRequest(
            json(
                "{\"model\":\"openai/gpt-3.5-turbo-instruct\",\"prompt\":\"Once"
                    + " upon\",\"max_tokens\":20}"));

    assertThat(chat)
        .isEqualTo(
            json(
                """
                {"model":"openai/gpt-3.5-turbo-instruct","max_tokens":20,
                 "messages":[{"role":"user","content":"Once upon"}]}
                """));
  }

  @Test
  void acceptsAPromptGivenAsAnArrayOfOneString() {
    ObjectNode chat =
        CompletionsProtocol.toChatRequest(json("{\"model\":\"a/b\",\"prompt\":[\"Hi\"]}"));

    assertThat(chat.get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
  }

  @Test
  void leavesTheClientsBodyUntouched() {
    JsonNode body = json("{\"model\":\"a/b\",\"prompt\":\"Hi\"}");
    JsonNode before = body.deepCopy();

    CompletionsProtocol.toChatRequest(body);

    assertThat(body).isEqualTo(before);
  }

  @Test
  void givesARequestTheChatParserAcceptsAsACompletionsRequest() {
    ChatRequest request =
        ChatRequestParser.parse(
            CompletionsProtocol.toChatRequest(
                json("{\"model\":\"a/b\",\"prompt\":\"Hi\",\"temperature\":0.5,\"max_tokens\":8}")),
            protocol.apiType());

    assertThat(request.apiType()).isEqualTo(ApiType.COMPLETIONS);
    assertThat(request.maxTokens()).isEqualTo(8L);
    assertThat(request.providerBody().get("messages"))
        .isEqualTo(json("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
  }

  @Test
  void refusesMessages() {
    assertThat(
            refusal("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .getMessage())
        .isEqualTo("The completions API takes 'prompt', not 'messages'");
    assertThat(
            refusal(
                    "{\"model\":\"a/b\",\"prompt\":\"Hi\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .getMessage())
        .isEqualTo("The completions API takes 'prompt', not 'messages'");
  }

  @Test
  void refusesAnEmptyPrompt() {
    assertThat(refusal("{\"model\":\"a/b\",\"prompt\":\"\"}").getMessage())
        .isEqualTo("'prompt' must not be empty");
  }

  @Test
  void refusesAMissingOrNonStringPrompt() {
    for (String body :
        List.of(
            "{\"model\":\"a/b\"}",
            "{\"model\":\"a/b\",\"prompt\":null}",
            "{\"model\":\"a/b\",\"prompt\":42}",
            "{\"model\":\"a/b\",\"prompt\":[\"one\",\"two\"]}",
            "{\"model\":\"a/b\",\"prompt\":[]}",
            "{\"model\":\"a/b\",\"prompt\":[1,2,3]}")) {
      assertThat(refusal(body).getMessage()).as(body).isEqualTo("'prompt' must be a string");
    }
  }

  // ---- answers ----------------------------------------------------------------------------------

  @Test
  void rendersACompleteAnswerAsATextCompletion() throws IOException {
    ObjectNode completion =
        (ObjectNode)
            json(
"""
{"id":"gen-1750000000-abc","object":"chat.completion","created":1750000000,
 "model":"openai/gpt-4o","provider":"OpenAI",
 "choices":[{"index":0,"message":{"role":"assistant","content":" there was a fox."},
   "finish_reason":"stop","native_finish_reason":"stop"}],
 "usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}
""");

    JsonNode text = Json.MAPPER.readTree(protocol.response(completion));

    assertThat(text)
        .isEqualTo(
            json(
                """
                {"id":"gen-1750000000-abc","object":"text_completion","created":1750000000,
                 "model":"openai/gpt-4o","provider":"OpenAI",
                 "choices":[{"index":0,"text":" there was a fox.","finish_reason":"stop",
                   "native_finish_reason":"stop","logprobs":null}],
                 "usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}
                """));
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
  }

  @Test
  void rendersAnAnswerWithoutContentAsEmptyText() throws IOException {
    ObjectNode completion =
        (ObjectNode)
            json(
                """
                {"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",
                  "content":null,"tool_calls":[{"id":"c","type":"function",
                  "function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
                """);

    JsonNode text = Json.MAPPER.readTree(protocol.response(completion));

    assertThat(text.get("choices"))
        .isEqualTo(
            json(
                "[{\"index\":0,\"text\":\"\",\"finish_reason\":\"tool_calls\","
                    + "\"logprobs\":null}]"));
  }

  @Test
  void rendersAStreamedChunkAsATextCompletionFrame() throws IOException {
    ObjectNode chunk =
        (ObjectNode)
            json(
"""
{"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"a/b","provider":"P",
 "choices":[{"index":0,"delta":{"content":"Once"},"finish_reason":null}]}
""");

    List<byte[]> frames = protocol.streamEncoder().chunk(chunk);

    assertThat(frames).hasSize(1);
    assertThat(frameJson(frames.get(0)))
        .isEqualTo(
            json(
                """
                {"id":"gen-1","object":"text_completion","created":1,"model":"a/b","provider":"P",
                 "choices":[{"index":0,"text":"Once","finish_reason":null,"logprobs":null}]}
                """));
  }

  @Test
  void rendersTheClosingChunkWithItsFinishReason() throws IOException {
    ObjectNode chunk =
        (ObjectNode)
            json(
"""
{"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"a/b",
 "choices":[{"index":0,"delta":{},"finish_reason":"length","native_finish_reason":"max_tokens"}]}
""");

    JsonNode text = frameJson(protocol.streamEncoder().chunk(chunk).get(0));

    assertThat(text.get("choices"))
        .isEqualTo(
            json(
                """
                [{"index":0,"text":"","finish_reason":"length","native_finish_reason":"max_tokens",
                  "logprobs":null}]
                """));
  }

  @Test
  void endsAStreamWithTheUsageFrameThenDone() throws IOException {
    ObjectNode usageChunk =
        (ObjectNode)
            json(
"""
{"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"a/b","choices":[],
 "usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8,"cost":0.00001}}
""");

    List<byte[]> frames = protocol.streamEncoder().finish(usageChunk);

    assertThat(frames).hasSize(2);
    assertThat(frameJson(frames.get(0)))
        .isEqualTo(
            json(
                """
                {"id":"gen-1","object":"text_completion","created":1,"model":"a/b","choices":[],
                 "usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8,"cost":0.00001}}
                """));
    assertThat(new String(frames.get(1), StandardCharsets.US_ASCII)).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void reportsAnErrorAfterTheStreamStartedAsOneFrame() throws IOException {
    ObjectNode errorChunk =
        (ObjectNode)
            json(
"""
{"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"a/b",
 "error":{"code":502,"message":"Acme: the connection failed","metadata":{"provider_name":"Acme"}},
 "choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}
""");

    List<byte[]> frames = protocol.streamEncoder().error(errorChunk);

    assertThat(frames).hasSize(1);
    assertThat(frameJson(frames.get(0)))
        .isEqualTo(
            json(
"""
{"id":"gen-1","object":"text_completion","created":1,"model":"a/b",
 "error":{"code":502,"message":"Acme: the connection failed","metadata":{"provider_name":"Acme"}},
 "choices":[{"index":0,"text":"","finish_reason":"error","logprobs":null}]}
"""));
  }
}
