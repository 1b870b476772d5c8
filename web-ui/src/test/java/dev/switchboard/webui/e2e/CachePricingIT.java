package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prompt caching against the jar, in each wire format: the simulator's providers read a long
 * prompt's prefix from their cache the second time (Anthropic only where the request marks it, and
 * then it first writes it), the usage says so in OpenAI's fields, cached tokens are charged at the
 * endpoint's {@code input_cache_read} price and written ones at {@code input_cache_write}, exactly,
 * and {@code /generation} shows the {@code cache_discount} (negative for a write that cost more).
 */
@ExtendWith(SwitchboardExtension.class)
class CachePricingIT {

  /** 1,100 one-token words: a prefix long enough for the providers to cache. */
  private static final String SYSTEM = "policy ".repeat(1_100).strip();

  /** An endpoint's list prices in USD per token, as ControlledSwitchboard's catalog sets them. */
  private record Prices(String prompt, String completion, String cacheRead, String cacheWrite) {}

  private static final Prices CACHED = new Prices("0.000001", "0.000002", "0.0000005", null);
  private static final Prices CLAUDE =
      new Prices("0.000003", "0.000015", "0.0000003", "0.00000375");
  private static final Prices GEMINI = new Prices("0.0000001", "0.0000004", "0.000000025", null);

  @Test
  void anOpenAiProviderReadsTheRepeatedPrefixAndItIsChargedAtTheCacheReadPrice(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    JsonNode first = chat(sb, tenant, "test/cached", false, "Hi.");
    JsonNode second = chat(sb, tenant, "test/cached", false, "And once more?");

    assertThat(cached(first)).isZero();
    assertThat(cached(second)).isGreaterThanOrEqualTo(1_100);
    assertThat(written(second)).isZero();
    assertChargedExactly(first, CACHED);
    assertChargedExactly(second, CACHED);
    assertThat(generation(tenant, first).path("cache_discount").isNull()).isTrue();
    assertThat(generation(tenant, second).path("cache_discount").decimalValue())
        .isEqualByComparingTo(
            perToken(CACHED.prompt)
                .subtract(perToken(CACHED.cacheRead))
                .multiply(BigDecimal.valueOf(cached(second))));
    assertBalanceIsWhatWasCharged(tenant, first, second);
  }

  @Test
  void anAnthropicProviderWritesAMarkedPrefixThenReadsItEachAtItsOwnPrice(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    JsonNode unmarked = chat(sb, tenant, "test/claude", false, "Hi.");
    JsonNode write = chat(sb, tenant, "test/claude", true, "Hi.");
    JsonNode read = chat(sb, tenant, "test/claude", true, "And once more?");

    assertThat(cached(unmarked) + written(unmarked)).isZero();
    assertThat(written(write)).isGreaterThanOrEqualTo(1_100);
    assertThat(cached(write)).isZero();
    assertThat(cached(read)).isEqualTo(written(write));
    assertThat(written(read)).isZero();
    for (JsonNode answer : new JsonNode[] {unmarked, write, read}) {
      assertChargedExactly(answer, CLAUDE);
    }
    assertThat(generation(tenant, write).path("cache_discount").decimalValue())
        .isEqualByComparingTo(
            perToken(CLAUDE.prompt)
                .subtract(perToken(CLAUDE.cacheWrite))
                .multiply(BigDecimal.valueOf(written(write))));
    assertThat(generation(tenant, write).path("native_tokens_cache_write").asLong())
        .isEqualTo(written(write));
    assertThat(generation(tenant, read).path("cache_discount").decimalValue())
        .isEqualByComparingTo(
            perToken(CLAUDE.prompt)
                .subtract(perToken(CLAUDE.cacheRead))
                .multiply(BigDecimal.valueOf(cached(read))));
    assertBalanceIsWhatWasCharged(tenant, unmarked, write, read);
  }

  @Test
  void aGeminiProviderReadsTheRepeatedPrefixAndItIsChargedAtTheCacheReadPrice(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    JsonNode first = chat(sb, tenant, "test/gemini", false, "Hi.");
    JsonNode second = chat(sb, tenant, "test/gemini", false, "And once more?");

    assertThat(cached(first)).isZero();
    assertThat(cached(second)).isGreaterThanOrEqualTo(1_100);
    assertChargedExactly(first, GEMINI);
    assertChargedExactly(second, GEMINI);
    assertThat(generation(tenant, second).path("native_tokens_cached").asLong())
        .isEqualTo(cached(second));
    assertBalanceIsWhatWasCharged(tenant, first, second);
  }

  /** A chat with the long system prompt, marked for caching the way Anthropic wants if asked. */
  private static JsonNode chat(
      ControlledSwitchboard sb, Tenant tenant, String model, boolean marked, String question) {
    String system =
        marked
            ? "[{\"type\":\"text\",\"text\":\"%s\",\"cache_control\":{\"type\":\"ephemeral\"}}]"
                .formatted(SYSTEM)
            : "\"" + SYSTEM + "\"";
    String body =
        """
        {"model":"%s","max_tokens":20,
         "messages":[{"role":"system","content":%s},{"role":"user","content":"%s"}]}"""
            .formatted(model, system, question);
    HttpResponse<String> response =
        sb.switchboard().post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Tenant.parse(response.body());
  }

  private static long cached(JsonNode answer) {
    return answer.at("/usage/prompt_tokens_details/cached_tokens").asLong();
  }

  private static long written(JsonNode answer) {
    return answer.at("/usage/prompt_tokens_details/cache_write_tokens").asLong();
  }

  /**
   * usage.cost is every kind of token at its own list price, rounded half-up to the nano-dollar.
   */
  private static void assertChargedExactly(JsonNode answer, Prices prices) {
    JsonNode usage = answer.path("usage");
    long prompt = usage.path("prompt_tokens").asLong();
    long completion = usage.path("completion_tokens").asLong();
    BigDecimal expected =
        perToken(prices.prompt)
            .multiply(BigDecimal.valueOf(prompt - cached(answer) - written(answer)))
            .add(perToken(prices.cacheRead).multiply(BigDecimal.valueOf(cached(answer))))
            .add(
                perToken(prices.cacheWrite == null ? prices.prompt : prices.cacheWrite)
                    .multiply(BigDecimal.valueOf(written(answer))))
            .add(perToken(prices.completion).multiply(BigDecimal.valueOf(completion)))
            .setScale(9, RoundingMode.HALF_UP);
    assertThat(usage.path("cost").decimalValue()).isEqualByComparingTo(expected);
  }

  private static void assertBalanceIsWhatWasCharged(Tenant tenant, JsonNode... answers) {
    BigDecimal charged = BigDecimal.ZERO;
    for (JsonNode answer : answers) {
      charged = charged.add(answer.at("/usage/cost").decimalValue());
    }
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(charged));
  }

  private static JsonNode generation(Tenant tenant, JsonNode answer) {
    return tenant.getJson("/api/v1/generation?id=" + answer.path("id").asText()).path("data");
  }

  private static BigDecimal perToken(String usd) {
    return new BigDecimal(usd);
  }
}
