package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK, unchanged, against the built jar: streamed and non-streamed
 * answers, whose {@code usage.cost}, {@code /generation} and the credits balance agree to the
 * nano-dollar.
 */
@ExtendWith(SwitchboardExtension.class)
class OpenAiSdkIT {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "openai/gpt-4o-mini",
        "meta-llama/llama-3.1-8b-instruct",
        "google/gemini-2.0-flash-001",
        "anthropic/claude-3.5-haiku"
      })
  void streamedAndNonStreamedAnswersAreBilledExactly(String model, RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "5.00");
    OpenAIClient sdk =
        OpenAIOkHttpClient.builder()
            .baseUrl(switchboard.apiBase())
            .apiKey(tenant.managementKey())
            .build();
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model(model)
            .addSystemMessage("You are terse.")
            .addUserMessage("Name three rivers of Europe.")
            .maxCompletionTokens(40)
            .build();

    ChatCompletion completion = sdk.chat().completions().create(params);
    String text = completion.choices().get(0).message().content().orElseThrow();
    CompletionUsage usage = completion.usage().orElseThrow();
    BigDecimal cost = usd(usage._additionalProperties().get("cost"));
    assertThat(text).isNotBlank();
    assertThat(completion.id()).startsWith("gen-");
    assertThat(completion.model()).isEqualTo(model);
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    assertThat(cost).isPositive();

    StringBuilder streamed = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        sdk.chat().completions().createStreaming(params)) {
      stream.stream()
          .forEach(
              chunk -> {
                chunks.add(chunk);
                chunk
                    .choices()
                    .forEach(choice -> choice.delta().content().ifPresent(streamed::append));
              });
    }
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    CompletionUsage streamUsage = last.usage().orElseThrow();
    BigDecimal streamCost = usd(streamUsage._additionalProperties().get("cost"));
    assertThat(streamed.toString()).isEqualTo(text);
    assertThat(streamUsage.completionTokens()).isEqualTo(usage.completionTokens());
    assertThat(streamCost).isEqualByComparingTo(cost);
    assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(last.id());

    JsonNode generation = tenant.getJson("/api/v1/generation?id=" + completion.id()).get("data");
    assertThat(generation.get("total_cost").decimalValue()).isEqualByComparingTo(cost);
    assertThat(generation.get("tokens_prompt").asLong()).isEqualTo(usage.promptTokens());
    assertThat(generation.get("tokens_completion").asLong()).isEqualTo(usage.completionTokens());
    assertThat(generation.get("streamed").asBoolean()).isFalse();
    assertThat(generation.get("model").asText()).isEqualTo(model);
    JsonNode streamedGeneration = tenant.getJson("/api/v1/generation?id=" + last.id()).get("data");
    assertThat(streamedGeneration.get("streamed").asBoolean()).isTrue();
    assertThat(streamedGeneration.get("total_cost").decimalValue())
        .isEqualByComparingTo(streamCost);
    assertThat(streamedGeneration.get("cancelled").asBoolean()).isFalse();

    assertThat(tenant.totalUsage()).isEqualByComparingTo(cost.add(streamCost));
    assertThat(tenant.balance())
        .isEqualByComparingTo(new BigDecimal("5.00").subtract(cost).subtract(streamCost));
  }

  @Test
  void anotherOrganizationCannotReadTheGeneration(RunningSwitchboard switchboard) {
    Tenant owner = Tenant.withCredits(switchboard, "1.00");
    Tenant stranger = Tenant.withCredits(switchboard, "1.00");
    OpenAIClient sdk =
        OpenAIOkHttpClient.builder()
            .baseUrl(switchboard.apiBase())
            .apiKey(owner.managementKey())
            .build();
    ChatCompletion completion =
        sdk.chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("openai/gpt-4o-mini")
                    .addUserMessage("hi")
                    .maxCompletionTokens(5)
                    .build());

    assertThat(
            switchboard
                .get("/api/v1/generation?id=" + completion.id(), stranger.managementKey())
                .statusCode())
        .isEqualTo(404);
    assertThat(
            switchboard
                .get("/api/v1/generation?id=" + completion.id(), owner.managementKey())
                .statusCode())
        .isEqualTo(200);
  }

  /**
   * The SDK keeps unknown fields as JSON values holding doubles; a nano-dollar amount has few
   * enough digits that the double's shortest decimal form is exactly the decimal we sent.
   */
  private static BigDecimal usd(JsonValue value) {
    return BigDecimal.valueOf(value.convert(Double.class));
  }
}
