package dev.switchboard.api.inference.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI usage as Anthropic's. Switchboard's {@code prompt_tokens} includes cached and cache-write
 * tokens; Anthropic's {@code input_tokens} does not, so they are taken out again.
 */
record MessagesUsage(
    long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

  static MessagesUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return new MessagesUsage(0, 0, 0, 0);
    }
    JsonNode details = usage.path("prompt_tokens_details");
    long cached = details.path("cached_tokens").asLong(0);
    long cacheWrite = details.path("cache_write_tokens").asLong(0);
    long input = Math.max(0, usage.path("prompt_tokens").asLong(0) - cached - cacheWrite);
    return new MessagesUsage(input, usage.path("completion_tokens").asLong(0), cached, cacheWrite);
  }

  ObjectNode toJson() {
    ObjectNode usage = JsonNodeFactory.instance.objectNode();
    usage.put("input_tokens", inputTokens);
    usage.put("output_tokens", outputTokens);
    usage.put("cache_read_input_tokens", cacheReadTokens);
    usage.put("cache_creation_input_tokens", cacheWriteTokens);
    return usage;
  }
}
