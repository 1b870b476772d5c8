package dev.switchboard.simulator;

import static dev.switchboard.simulator.SimClient.ANTHROPIC_AUTH;
import static dev.switchboard.simulator.SimClient.GEMINI_AUTH;
import static dev.switchboard.simulator.SimClient.OPENAI_AUTH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Each wire format reports the simulated prompt cache in its own usage fields. */
class PromptCacheTest extends SimulatorTest {

  /** A system prompt of 1,100 one-token words: with its message overhead, a 1,103-token prefix. */
  static final String LONG_SYSTEM = "policy ".repeat(1_100).strip();

  static final int PREFIX_TOKENS = 1_100 + PromptTokenCounter.PER_MESSAGE;

  static String openAi(String system, String user) {
    return "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"system\",\"content\":\""
        + system
        + "\"},{\"role\":\"user\",\"content\":\""
        + user
        + "\"}]}";
  }

  @Test
  void openAiReadsALongPrefixSeenBeforeWhateverTheLastMessageSays() {
    JsonNode first =
        client.postJson("/cache-a/v1/chat/completions", openAi(LONG_SYSTEM, "Hi."), OPENAI_AUTH);
    JsonNode second =
        client.postJson(
            "/cache-a/v1/chat/completions", openAi(LONG_SYSTEM, "Something else."), OPENAI_AUTH);

    assertThat(first.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    assertThat(second.at("/usage/prompt_tokens_details/cached_tokens").asInt())
        .isEqualTo(PREFIX_TOKENS);
    assertThat(second.at("/usage/prompt_tokens").asInt())
        .isEqualTo(PREFIX_TOKENS + PromptTokenCounter.PER_MESSAGE + 3); // "Something else."
  }

  @Test
  void aShortPrefixAndAnotherProvidersCacheAreNeverRead() {
    String shortPrompt = openAi("Be terse.", "Hi.");
    client.postJson("/cache-b/v1/chat/completions", shortPrompt, OPENAI_AUTH);
    JsonNode again = client.postJson("/cache-b/v1/chat/completions", shortPrompt, OPENAI_AUTH);
    client.postJson("/cache-b/v1/chat/completions", openAi(LONG_SYSTEM, "Hi."), OPENAI_AUTH);
    JsonNode elsewhere =
        client.postJson("/cache-c/v1/chat/completions", openAi(LONG_SYSTEM, "Hi."), OPENAI_AUTH);

    assertThat(again.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    assertThat(elsewhere.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
  }

  @Test
  void anthropicCachesOnlyMarkedPromptsAndReportsWritesThenReadsOutsideInputTokens() {
    String unmarked =
        "{\"model\":\"claude-sim\",\"max_tokens\":64,\"system\":\""
            + LONG_SYSTEM
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}]}";
    String marked =
        "{\"model\":\"claude-sim\",\"max_tokens\":64,\"system\":[{\"type\":\"text\",\"text\":\""
            + LONG_SYSTEM
            + "\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}]}";
    String path = "/cache-d/v1/messages";

    client.postJson(path, unmarked, ANTHROPIC_AUTH);
    JsonNode unmarkedAgain = client.postJson(path, unmarked, ANTHROPIC_AUTH).path("usage");
    JsonNode written = client.postJson(path, marked, ANTHROPIC_AUTH).path("usage");
    JsonNode read = client.postJson(path, marked, ANTHROPIC_AUTH).path("usage");

    assertThat(unmarkedAgain.path("cache_read_input_tokens").asInt()).isZero();
    assertThat(unmarkedAgain.path("cache_creation_input_tokens").asInt()).isZero();
    int lastMessage = PromptTokenCounter.PER_MESSAGE + 2; // "Hi."
    assertThat(written.path("cache_creation_input_tokens").asInt()).isEqualTo(PREFIX_TOKENS);
    assertThat(written.path("cache_read_input_tokens").asInt()).isZero();
    assertThat(written.path("input_tokens").asInt()).isEqualTo(lastMessage);
    assertThat(read.path("cache_read_input_tokens").asInt()).isEqualTo(PREFIX_TOKENS);
    assertThat(read.path("cache_creation_input_tokens").asInt()).isZero();
    assertThat(read.path("input_tokens").asInt()).isEqualTo(lastMessage);
  }

  @Test
  void geminiReportsCachedContentTokensOnceThePrefixWasSeen() {
    String body =
        "{\"systemInstruction\":{\"parts\":[{\"text\":\""
            + LONG_SYSTEM
            + "\"}]},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi.\"}]}]}";
    String path = "/cache-e/v1beta/models/gemini-sim:generateContent";

    JsonNode first = client.postJson(path, body, GEMINI_AUTH).path("usageMetadata");
    JsonNode second = client.postJson(path, body, GEMINI_AUTH).path("usageMetadata");

    assertThat(first.has("cachedContentTokenCount")).isFalse();
    assertThat(second.path("cachedContentTokenCount").asInt()).isEqualTo(PREFIX_TOKENS);
    assertThat(second.path("promptTokenCount").asInt())
        .isEqualTo(PREFIX_TOKENS + PromptTokenCounter.PER_MESSAGE + 2); // "Hi."
  }
}
