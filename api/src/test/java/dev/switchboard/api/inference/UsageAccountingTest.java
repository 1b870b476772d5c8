package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageAccountingTest {

  @Test
  void readsTheProvidersUsageWithCachedAndReasoningTokens() {
    UsageAccounting.Measured measured =
        UsageAccounting.measure(
            json(
                """
                {"prompt_tokens":1843,"completion_tokens":217,"total_tokens":2060,
                 "prompt_tokens_details":{"cached_tokens":1664,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0}}
                """),
            999,
            999);

    assertThat(measured)
        .isEqualTo(
            new UsageAccounting.Measured(new TokenUsage(1843, 217, 192, 1664, 0, 0, 0), false));
  }

  @Test
  void readsCacheWriteTokens() {
    UsageAccounting.Measured measured =
        UsageAccounting.measure(
            json(
                """
                {"prompt_tokens":3000,"completion_tokens":10,
                 "prompt_tokens_details":{"cached_tokens":1000,"cache_write_tokens":1500}}
                """),
            0,
            0);

    assertThat(measured.usage()).isEqualTo(new TokenUsage(3000, 10, 0, 1000, 1500, 0, 0));
  }

  @Test
  void clampsInconsistentDetailsToTheirTotals() {
    UsageAccounting.Measured measured =
        UsageAccounting.measure(
            json(
                """
                {"prompt_tokens":100,"completion_tokens":20,
                 "prompt_tokens_details":{"cached_tokens":150,"cache_write_tokens":40},
                 "completion_tokens_details":{"reasoning_tokens":25}}
                """),
            0,
            0);

    assertThat(measured.usage()).isEqualTo(new TokenUsage(100, 20, 20, 100, 0, 0, 0));
    assertThat(measured.estimated()).isFalse();
  }

  @Test
  void treatsNegativeCountsAsZero() {
    UsageAccounting.Measured measured =
        UsageAccounting.measure(
            json(
                """
                {"prompt_tokens":-5,"completion_tokens":-1,
                 "prompt_tokens_details":{"cached_tokens":-3},
                 "completion_tokens_details":{"reasoning_tokens":-2}}
                """),
            0,
            0);

    assertThat(measured.usage()).isEqualTo(TokenUsage.of(0, 0));
  }

  @Test
  void estimatesFromThePromptEstimateAndTheProducedTextWhenThereIsNoUsage() {
    UsageAccounting.Measured measured = UsageAccounting.measure(null, 120, 10);

    assertThat(measured).isEqualTo(new UsageAccounting.Measured(TokenUsage.of(120, 3), true));
  }

  @Test
  void estimatesWhenTheUsageIsNullOrIncomplete() {
    assertThat(UsageAccounting.measure(NullNode.getInstance(), 50, 8))
        .isEqualTo(new UsageAccounting.Measured(TokenUsage.of(50, 2), true));
    assertThat(UsageAccounting.measure(json("{\"prompt_tokens\":12}"), 50, 8))
        .isEqualTo(new UsageAccounting.Measured(TokenUsage.of(50, 2), true));
    assertThat(UsageAccounting.measure(json("{\"completion_tokens\":12}"), 50, 8).estimated())
        .isTrue();
  }

  @Test
  void estimatesAboutFourCharactersATokenRoundingUp() {
    assertThat(UsageAccounting.estimateTokens(0)).isZero();
    assertThat(UsageAccounting.estimateTokens(1)).isEqualTo(1);
    assertThat(UsageAccounting.estimateTokens(4)).isEqualTo(1);
    assertThat(UsageAccounting.estimateTokens(5)).isEqualTo(2);
    assertThat(UsageAccounting.estimateTokens(4_000)).isEqualTo(1_000);
  }

  @Test
  void writesTheUsageObjectClientsSeeWithItsCost() {
    byte[] json =
        Json.bytes(
            UsageAccounting.usageJson(
                new TokenUsage(1843, 217, 192, 1664, 20, 0, 0),
                Credits.ofNanos(1_234_567),
                false,
                Credits.ofNanos(1_234_567)));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"prompt_tokens\":1843,\"completion_tokens\":217,\"total_tokens\":2060,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1664,\"cache_write_tokens\":20},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":192},"
                + "\"cost\":0.001234567,\"is_byok\":false,"
                + "\"cost_details\":{\"upstream_inference_cost\":0.001234567}}");
  }

  @Test
  void throughTheOrganizationsOwnKeyTheCostIsTheFeeAndTheUpstreamCostTheListPrice() {
    byte[] json =
        Json.bytes(
            UsageAccounting.usageJson(
                TokenUsage.of(10, 20), Credits.ofNanos(61_728), true, Credits.ofNanos(1_234_567)));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains(
            "\"cost\":0.000061728,\"is_byok\":true,"
                + "\"cost_details\":{\"upstream_inference_cost\":0.001234567}}");
  }

  @Test
  void writesAZeroCostAsAPlainZero() {
    byte[] json =
        Json.bytes(
            UsageAccounting.usageJson(TokenUsage.of(5, 0), Credits.ZERO, false, Credits.ZERO));

    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"cost\":0,");
  }

  @Test
  void writesALargeCostWithoutExponent() {
    byte[] json =
        Json.bytes(
            UsageAccounting.usageJson(
                TokenUsage.of(5, 0),
                Credits.ofNanos(12_000_000_000L),
                false,
                Credits.ofNanos(12_000_000_000L)));

    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"cost\":12,");
  }
}
