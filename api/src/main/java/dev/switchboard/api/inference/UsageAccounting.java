package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;

/**
 * Reads a provider's usage (OpenAI shape) into exact token counts, estimates them when the provider
 * reported none, and writes the usage object clients see, with its cost.
 */
public final class UsageAccounting {

  /** Token counts and whether they were estimated by us. */
  public record Measured(TokenUsage usage, boolean estimated) {}

  private UsageAccounting() {}

  /** The provider's usage when it sent one; otherwise an estimate from what was produced. */
  public static Measured measure(JsonNode usage, long promptEstimate, long producedChars) {
    if (usage != null
        && usage.isObject()
        && usage.has("prompt_tokens")
        && usage.has("completion_tokens")) {
      long prompt = Math.max(0, usage.path("prompt_tokens").asLong());
      long completion = Math.max(0, usage.path("completion_tokens").asLong());
      long cached =
          clamp(usage.path("prompt_tokens_details").path("cached_tokens").asLong(0), prompt);
      long cacheWrite =
          clamp(
              usage.path("prompt_tokens_details").path("cache_write_tokens").asLong(0),
              prompt - cached);
      long reasoning =
          clamp(
              usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
              completion);
      return new Measured(
          new TokenUsage(prompt, completion, reasoning, cached, cacheWrite, 0, 0), false);
    }
    return new Measured(TokenUsage.of(promptEstimate, estimateTokens(producedChars)), true);
  }

  /** About four characters a token: the common rule of thumb for English text. */
  public static long estimateTokens(long chars) {
    return (chars + 3) / 4;
  }

  /**
   * The {@code usage} object of responses and of the final stream chunk: {@code cost} is what the
   * organization's credits were charged, {@code cost_details.upstream_inference_cost} what the
   * provider charged at list price (the same, except through the organization's own key, when the
   * provider bills it and {@code cost} is Switchboard's fee alone).
   */
  public static ObjectNode usageJson(
      TokenUsage usage, Credits cost, boolean byok, Credits upstreamCost) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("prompt_tokens", usage.promptTokens());
    json.put("completion_tokens", usage.completionTokens());
    json.put("total_tokens", usage.totalTokens());
    json.putObject("prompt_tokens_details")
        .put("cached_tokens", usage.cachedPromptTokens())
        .put("cache_write_tokens", usage.cacheWriteTokens());
    json.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    json.put("cost", cost.toUsd());
    json.put("is_byok", byok);
    json.putObject("cost_details").put("upstream_inference_cost", upstreamCost.toUsd());
    return json;
  }

  private static long clamp(long value, long max) {
    return Math.max(0, Math.min(value, max));
  }
}
