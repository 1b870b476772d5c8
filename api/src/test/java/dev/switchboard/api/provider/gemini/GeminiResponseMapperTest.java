package dev.switchboard.api.provider.gemini;

import static dev.switchboard.api.provider.gemini.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiResponseMapperTest {

  private final GeminiResponseMapper mapper = new GeminiResponseMapper();

  private ObjectNode map(String fixture) throws ProviderException {
    return mapper.toChatCompletion("gemini-2.0-flash", Fixtures.bytes(fixture));
  }

  private ObjectNode mapInline(String body) throws ProviderException {
    return mapper.toChatCompletion("gemini-2.0-flash", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void mapsATextAnswerToAChatCompletion() throws ProviderException {
    assertThat(map("response-text.json"))
        .isEqualTo(
            json(
                """
                {"id":"gen-gemini","object":"chat.completion","created":0,"model":"gemini-2.0-flash",
                 "choices":[{"index":0,
                   "message":{"role":"assistant","content":"Hello! How can I help you today?"},
                   "finish_reason":"stop","native_finish_reason":"STOP"}],
                 "usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18,
                   "prompt_tokens_details":{"cached_tokens":0},
                   "completion_tokens_details":{"reasoning_tokens":0}}}
                """));
  }

  @Test
  void mapsFunctionCallsToToolCallsWithIdsNumberedInOrder() throws ProviderException {
    ObjectNode choice = (ObjectNode) map("response-function-call.json").get("choices").get(0);

    assertThat(choice)
        .isEqualTo(
            json(
                """
                {"index":0,
                 "message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_0","type":"function","function":{"name":"get_current_weather",
                     "arguments":"{\\"location\\":\\"Boston, MA\\",\\"unit\\":\\"celsius\\"}"}},
                   {"id":"call_1","type":"function","function":{"name":"get_current_weather",
                     "arguments":"{\\"location\\":\\"San Francisco, CA\\",\\"unit\\":\\"celsius\\"}"}}]},
                 "finish_reason":"tool_calls","native_finish_reason":"STOP"}
                """));
  }

  @Test
  void separatesThoughtsIntoReasoningAndCountsThemAsCompletionTokens() throws ProviderException {
    ObjectNode completion = map("response-thoughts.json");

    assertThat(completion.at("/choices/0/message"))
        .isEqualTo(
            json(
                """
                {"role":"assistant","content":"There are 8 prime numbers below 20.",
                 "reasoning":"**Working out the prime count**\\n\\nI need the primes below 20: \
                2, 3, 5, 7, 11, 13, 17, 19."}
                """));
    assertThat(completion.get("usage"))
        .isEqualTo(
            json(
                """
                {"prompt_tokens":1210,"completion_tokens":363,"total_tokens":1573,
                 "prompt_tokens_details":{"cached_tokens":1024},
                 "completion_tokens_details":{"reasoning_tokens":352}}
                """));
  }

  @Test
  void reportsMaxTokensAsLength() throws ProviderException {
    ObjectNode choice = (ObjectNode) map("response-max-tokens.json").get("choices").get(0);

    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
    assertThat(choice.get("native_finish_reason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(choice.at("/message/content").asText()).isEqualTo("Once upon a time, in a land far");
  }

  @Test
  void reportsASafetyStopAsContentFilterWithEmptyContent() throws ProviderException {
    ObjectNode completion = map("response-candidate-safety.json");

    assertThat(completion.at("/choices/0"))
        .isEqualTo(
            json(
                """
                {"index":0,"message":{"role":"assistant","content":""},
                 "finish_reason":"content_filter","native_finish_reason":"SAFETY"}
                """));
    assertThat(completion.at("/usage/completion_tokens").asLong()).isZero();
  }

  @Test
  void reportsABlockedPromptAsContentFilterWithEmptyContent() throws ProviderException {
    ObjectNode completion = map("response-prompt-blocked.json");

    assertThat(completion.at("/choices/0"))
        .isEqualTo(
            json(
                """
                {"index":0,"message":{"role":"assistant","content":""},
                 "finish_reason":"content_filter","native_finish_reason":"SAFETY"}
                """));
    assertThat(completion.at("/usage/prompt_tokens").asLong()).isEqualTo(21);
  }

  @Test
  void keepsFinishReasonsWithoutAnOpenAiEquivalentAsNativeBesideStop() throws ProviderException {
    ObjectNode completion =
        mapInline(
            """
            {"candidates":[{"content":{"parts":[{"text":"Partial"}],"role":"model"},
              "finishReason":"MALFORMED_FUNCTION_CALL","index":0}]}
            """);

    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(completion.at("/choices/0/native_finish_reason").asText())
        .isEqualTo("MALFORMED_FUNCTION_CALL");
  }

  @Test
  void leavesOutUsageWhenGeminiReportsNone() throws ProviderException {
    ObjectNode completion =
        mapInline(
            """
            {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}]}
            """);

    assertThat(completion.has("usage")).isFalse();
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Hi");
  }

  @Test
  void rejectsAnUnreadableBodyAsMalformed() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> mapInline("{\"candidates\":[{\"content\":"));

    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
    assertThat(e.error().retryable()).isTrue();
  }

  @Test
  void rejectsAnAnswerWithNeitherCandidateNorBlockReasonAsMalformed() {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> mapInline("{\"modelVersion\":\"gemini-2.0-flash\"}"));

    assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE);
  }
}
