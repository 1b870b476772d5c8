package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.util.Map;

/** Sampling, length, output format and reasoning settings as Gemini's {@code generationConfig}. */
final class GeminiGenerationConfigMapper {

  /** Thinking budgets for OpenRouter's effort levels. */
  private static final Map<String, Integer> BUDGET_BY_EFFORT =
      Map.of("minimal", 1024, "low", 1024, "medium", 8192, "high", 24576);

  ObjectNode map(JsonNode request) {
    ObjectNode config = Json.MAPPER.createObjectNode();
    copy(request, "max_tokens", config, "maxOutputTokens");
    copy(request, "temperature", config, "temperature");
    copy(request, "top_p", config, "topP");
    copy(request, "top_k", config, "topK");
    copy(request, "seed", config, "seed");
    JsonNode stop = request.path("stop");
    if (stop.isTextual()) {
      config.putArray("stopSequences").add(stop.asText());
    } else if (stop.isArray() && !stop.isEmpty()) {
      config.set("stopSequences", stop.deepCopy());
    }
    responseFormat(request.path("response_format"), config);
    ObjectNode thinking = thinkingConfig(request);
    if (thinking != null) {
      config.set("thinkingConfig", thinking);
    }
    return config;
  }

  private static void copy(JsonNode request, String from, ObjectNode config, String to) {
    JsonNode value = request.path(from);
    if (value.isNumber()) {
      config.set(to, value.deepCopy());
    }
  }

  private static void responseFormat(JsonNode format, ObjectNode config) {
    switch (format.path("type").asText()) {
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        JsonNode schema = format.path("json_schema").path("schema");
        if (schema.isObject()) {
          config.set("responseSchema", GeminiSchemaFilter.filter(schema));
        }
      }
      default -> {
        // "text" or absent: Gemini's default
      }
    }
  }

  /**
   * {@code reasoning} (or the flat {@code reasoning_effort}) as a thinking budget. Turning
   * reasoning off is a zero budget; without a budget or effort the model keeps its own default
   * budget.
   */
  private static ObjectNode thinkingConfig(JsonNode request) {
    JsonNode reasoning = request.path("reasoning");
    String effort = reasoning.path("effort").asText(request.path("reasoning_effort").asText(""));
    if (!reasoning.isObject() && effort.isEmpty()) {
      return null;
    }
    ObjectNode thinking = Json.MAPPER.createObjectNode();
    if (!reasoning.path("enabled").asBoolean(true) || "none".equals(effort)) {
      thinking.put("thinkingBudget", 0);
      return thinking;
    }
    JsonNode maxTokens = reasoning.path("max_tokens");
    if (maxTokens.isIntegralNumber()) {
      thinking.put("thinkingBudget", maxTokens.asInt());
    } else if (BUDGET_BY_EFFORT.containsKey(effort)) {
      thinking.put("thinkingBudget", BUDGET_BY_EFFORT.get(effort));
    }
    thinking.put("includeThoughts", !reasoning.path("exclude").asBoolean(false));
    return thinking;
  }
}
