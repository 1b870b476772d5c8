package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic's token counts. Anthropic reports {@code input_tokens} without the cached and
 * cache-write tokens; OpenRouter's {@code prompt_tokens} includes them, so they are added back
 * here. Thinking is part of {@code output_tokens} and not reported separately.
 */
record AnthropicUsage(
    long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens) {

  static final AnthropicUsage NONE = new AnthropicUsage(0, 0, 0, 0);

  static AnthropicUsage from(JsonNode usage) {
    return NONE.updatedBy(usage);
  }

  /**
   * Counts present in {@code usage} replace these; Anthropic's stream reports cumulative values.
   */
  AnthropicUsage updatedBy(JsonNode usage) {
    return new AnthropicUsage(
        count(usage, "input_tokens", inputTokens),
        count(usage, "cache_read_input_tokens", cacheReadTokens),
        count(usage, "cache_creation_input_tokens", cacheWriteTokens),
        count(usage, "output_tokens", outputTokens));
  }

  private static long count(JsonNode usage, String field, long otherwise) {
    JsonNode value = usage.path(field);
    return value.canConvertToLong() ? value.longValue() : otherwise;
  }

  ObjectNode toOpenAi() {
    long promptTokens = inputTokens + cacheReadTokens + cacheWriteTokens;
    ObjectNode usage = JsonNodeFactory.instance.objectNode();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", outputTokens);
    usage.put("total_tokens", promptTokens + outputTokens);
    usage
        .putObject("prompt_tokens_details")
        .put("cached_tokens", cacheReadTokens)
        .put("cache_write_tokens", cacheWriteTokens);
    return usage;
  }
}
