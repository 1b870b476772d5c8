package dev.switchboard.api.provider.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.bytes;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicResponseMapperTest {

  private final AnthropicResponseMapper mapper = new AnthropicResponseMapper();

  @Test
  void mapsATextMessageCountingCachedTokensIntoPromptTokens() throws ProviderException {
    ObjectNode completion = mapper.toChatCompletion(bytes("message-text.json"), true);

    assertThat(wire(completion))
        .isEqualTo(
            json(
"""
{"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","object":"chat.completion","created":0,
 "model":"claude-sonnet-4-20250514",
 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi! My name is Claude."},
   "finish_reason":"stop","native_finish_reason":"end_turn"}],
 "usage":{"prompt_tokens":3895,"completion_tokens":503,"total_tokens":4398,
   "prompt_tokens_details":{"cached_tokens":1800,"cache_write_tokens":0}}}
"""));
  }

  @Test
  void mapsToolUseToToolCallsWithCompactJsonArguments() throws ProviderException {
    ObjectNode completion = mapper.toChatCompletion(bytes("message-tool-use.json"), true);

    assertThat(wire(completion.at("/choices/0/message")))
        .isEqualTo(
            json(
"""
{"role":"assistant","content":"I'll check the current weather in San Francisco for you.",
 "tool_calls":[{"id":"toolu_01A09q90qw90lq917835lq9","type":"function",
   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"San Francisco, CA\\",\\"unit\\":\\"celsius\\"}"}}]}
"""));
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(wire(completion.get("usage")))
        .isEqualTo(
            json(
                """
                {"prompt_tokens":1496,"completion_tokens":89,"total_tokens":1585,
                 "prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":1024}}
                """));
  }

  @Test
  void mapsThinkingToReasoningAndSkipsRedactedThinking() throws ProviderException {
    ObjectNode completion = mapper.toChatCompletion(bytes("message-thinking.json"), true);

    assertThat(completion.at("/choices/0/message/reasoning").asText())
        .isEqualTo("To approach this, let's think about what we know about prime numbers...");
    assertThat(completion.at("/choices/0/message/content").asText())
        .isEqualTo("Yes, there are infinitely many prime numbers such that...");
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(completion.at("/choices/0/native_finish_reason").asText()).isEqualTo("max_tokens");
    assertThat(completion.at("/usage/completion_tokens_details").isMissingNode()).isTrue();
  }

  @Test
  void hidesReasoningWhenTheCallerExcludedIt() throws ProviderException {
    ObjectNode completion = mapper.toChatCompletion(bytes("message-thinking.json"), false);

    assertThat(completion.at("/choices/0/message").has("reasoning")).isFalse();
  }

  @Test
  void mapsRefusalToContentFilterWithNullContent() throws ProviderException {
    byte[] body =
        """
        {"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],
         "stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":0}}
        """
            .getBytes(StandardCharsets.UTF_8);

    ObjectNode completion = mapper.toChatCompletion(body, true);

    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
    assertThat(completion.at("/choices/0/message/content").isNull()).isTrue();
  }

  @Test
  void reportsABodyThatIsNotAMessageAsMalformed() {
    assertThatThrownBy(
            () ->
                mapper.toChatCompletion("<html>502</html>".getBytes(StandardCharsets.UTF_8), true))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE));
    assertThatThrownBy(
            () ->
                mapper.toChatCompletion(
                    "{\"type\":\"completion\"}".getBytes(StandardCharsets.UTF_8), true))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.error().kind()).isEqualTo(ProviderError.Kind.MALFORMED_RESPONSE));
  }
}
