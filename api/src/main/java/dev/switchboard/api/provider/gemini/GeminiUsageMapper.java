package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;

/**
 * Gemini's {@code usageMetadata} as OpenAI usage. Gemini keeps thoughts out of {@code
 * candidatesTokenCount} while OpenAI counts reasoning inside {@code completion_tokens}, so the two
 * are added; the total is recomputed so that it always adds up.
 */
final class GeminiUsageMapper {

  private GeminiUsageMapper() {}

  /** The usage, or null when Gemini reported none. */
  static ObjectNode toUsage(JsonNode usageMetadata) {
    if (!usageMetadata.isObject()) {
      return null;
    }
    int prompt = usageMetadata.path("promptTokenCount").asInt(0);
    int thoughts = usageMetadata.path("thoughtsTokenCount").asInt(0);
    int completion = usageMetadata.path("candidatesTokenCount").asInt(0) + thoughts;
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    usage
        .putObject("prompt_tokens_details")
        .put("cached_tokens", usageMetadata.path("cachedContentTokenCount").asInt(0));
    usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
    return usage;
  }
}
