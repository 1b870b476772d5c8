package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.util.Map;
import java.util.Set;

/**
 * A JSON schema reduced to what Gemini's OpenAPI-subset {@code Schema} accepts: it answers 400 to
 * {@code $schema} and {@code additionalProperties}. Walks schema positions only, so a property that
 * happens to be named {@code additionalProperties} survives.
 */
final class GeminiSchemaFilter {

  private static final Set<String> REJECTED_KEYWORDS = Set.of("$schema", "additionalProperties");

  /** Keywords whose value is a map from names to schemas. */
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions");

  /** Keywords whose value is data, not schemas. */
  private static final Set<String> DATA_KEYWORDS =
      Set.of("enum", "const", "default", "example", "examples", "required");

  private GeminiSchemaFilter() {}

  static JsonNode filter(JsonNode schema) {
    if (!schema.isObject()) {
      return schema.deepCopy();
    }
    ObjectNode filtered = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      if (REJECTED_KEYWORDS.contains(keyword)) {
        continue;
      }
      if (DATA_KEYWORDS.contains(keyword)) {
        filtered.set(keyword, value.deepCopy());
      } else if (SCHEMA_MAPS.contains(keyword) && value.isObject()) {
        ObjectNode map = filtered.putObject(keyword);
        value.properties().forEach(entry -> map.set(entry.getKey(), filter(entry.getValue())));
      } else if (value.isArray()) {
        ArrayNode items = filtered.putArray(keyword);
        value.forEach(item -> items.add(filter(item)));
      } else {
        filtered.set(keyword, filter(value));
      }
    }
    return filtered;
  }
}
