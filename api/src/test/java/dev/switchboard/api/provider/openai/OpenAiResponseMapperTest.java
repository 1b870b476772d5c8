package dev.switchboard.api.provider.openai;

import static dev.switchboard.api.provider.openai.OpenAiFixtures.bytes;
import static dev.switchboard.api.provider.openai.OpenAiFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiResponseMapperTest {

  private static ObjectNode fixtureWithNativeFinishReason(String name, String nativeReason) {
    ObjectNode expected = json(new String(bytes(name), StandardCharsets.UTF_8));
    ((ObjectNode) expected.at("/choices/0")).put("native_finish_reason", nativeReason);
    return expected;
  }

  @Test
  void keepsATextCompletionAsItIsAndRecordsTheNativeFinishReason() throws ProviderException {
    ObjectNode completion = OpenAiResponseMapper.fromResponse(bytes("response-text.json"));

    assertThat(completion).isEqualTo(fixtureWithNativeFinishReason("response-text.json", "stop"));
    assertThat(completion.at("/choices/0/message/content").asText())
        .isEqualTo("Hello! How can I assist you today?");
  }

  @Test
  void keepsBothToolCallsOfACompletion() throws ProviderException {
    ObjectNode completion = OpenAiResponseMapper.fromResponse(bytes("response-tool-calls.json"));

    assertThat(completion)
        .isEqualTo(fixtureWithNativeFinishReason("response-tool-calls.json", "tool_calls"));
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(completion.at("/choices/0/message"))
        .isEqualTo(
            json(
                """
                {"role":"assistant","content":null,"refusal":null,"annotations":[],
                 "tool_calls":[
                   {"id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","type":"function","function":{
                     "name":"get_weather",
                     "arguments":"{\\"location\\":\\"Paris, France\\",\\"unit\\":\\"celsius\\"}"}},
                   {"id":"call_ABCcP4kAn1ZRe8NYwI4Z1qcU","type":"function","function":{
                     "name":"get_weather",
                     "arguments":"{\\"location\\":\\"Bogotá, Colombia\\",\\"unit\\":\\"celsius\\"}"}}]}
                """));
  }

  @Test
  void keepsReasoningAndCachedTokensInTheUsage() throws ProviderException {
    ObjectNode completion =
        OpenAiResponseMapper.fromResponse(bytes("response-reasoning-cached.json"));

    assertThat(completion.get("usage"))
        .isEqualTo(
            json(
                """
                {"prompt_tokens":1843,"completion_tokens":217,"total_tokens":2060,
                 "prompt_tokens_details":{"cached_tokens":1664,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0,
                   "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}
                """));
  }

  @ParameterizedTest
  @CsvSource({
    "stop, stop",
    "end_turn, stop",
    "stop_sequence, stop",
    "eos, stop",
    "length, length",
    "max_tokens, length",
    "model_length, length",
    "tool_calls, tool_calls",
    "function_call, tool_calls",
    "tool_use, tool_calls",
    "content_filter, content_filter",
    "safety, content_filter",
    "error, error",
    "recitation, recitation"
  })
  void normalizesTheFinishReasonOfOpenAiCompatibleProvidersAndKeepsTheirOwn(
      String nativeReason, String normalized) throws ProviderException {
    ObjectNode completion =
        OpenAiResponseMapper.fromResponse(
"""
{"id":"cmpl-1","object":"chat.completion","created":1,"model":"m",
 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"%s"}]}
"""
                .formatted(nativeReason)
                .getBytes(StandardCharsets.UTF_8));

    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo(normalized);
    assertThat(completion.at("/choices/0/native_finish_reason").asText()).isEqualTo(nativeReason);
  }

  @Test
  void keepsANativeFinishReasonThatAnUpstreamGatewayAlreadyReported() throws ProviderException {
    ObjectNode completion =
        OpenAiResponseMapper.fromResponse(
            """
            {"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},
              "finish_reason":"stop","native_finish_reason":"end_turn"}]}
            """
                .getBytes(StandardCharsets.UTF_8));

    assertThat(completion.at("/choices/0"))
        .isEqualTo(
            json(
                """
                {"index":0,"message":{"role":"assistant","content":"Hi"},
                 "finish_reason":"stop","native_finish_reason":"end_turn"}
                """));
  }

  @Test
  void leavesAMissingFinishReasonAlone() throws ProviderException {
    ObjectNode completion =
        OpenAiResponseMapper.fromResponse(
"""
{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":null}]}
"""
                .getBytes(StandardCharsets.UTF_8));

    assertThat(completion.at("/choices/0/finish_reason").isNull()).isTrue();
    assertThat(completion.at("/choices/0").has("native_finish_reason")).isFalse();
  }

  @Test
  void refusesABodyThatIsNotJsonAsAMalformedResponse() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> OpenAiResponseMapper.fromResponse(bytes("error-bad-gateway.html")));

    assertThat(e.error())
        .isEqualTo(
            new ProviderError(
                ProviderError.Kind.MALFORMED_RESPONSE,
                200,
                "the provider's answer is not JSON",
                null,
                true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "\"ok\"",
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}",
        "{\"id\":\"chatcmpl-1\",\"choices\":\"none\"}",
        "{\"id\":\"chatcmpl-1\",\"choices\":[]}"
      })
  void refusesABodyWithoutChoicesAsAMalformedResponse(String body) {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> OpenAiResponseMapper.fromResponse(body.getBytes(StandardCharsets.UTF_8)));

    assertThat(e).as("a body without choices must be refused: %s", body).isNotNull();
    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
    assertThat(e.error().upstreamStatus()).isEqualTo(200);
    assertThat(e.error().retryable()).isTrue();
  }
}
