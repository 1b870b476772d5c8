package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;

/** OpenAI {@code tools} and {@code tool_choice} as Gemini {@code tools} and {@code toolConfig}. */
final class GeminiToolsMapper {

  /** One {@code functionDeclarations} tool, or null when no function tools are declared. */
  ArrayNode tools(JsonNode openAiTools) {
    ArrayNode declarations = Json.MAPPER.createArrayNode();
    for (JsonNode tool : openAiTools) {
      if (!"function".equals(tool.path("type").asText("function"))) {
        continue;
      }
      JsonNode function = tool.path("function");
      ObjectNode declaration = declarations.addObject();
      declaration.put("name", function.path("name").asText());
      if (function.hasNonNull("description")) {
        declaration.put("description", function.get("description").asText());
      }
      JsonNode parameters = function.path("parameters");
      if (hasProperties(parameters)) {
        declaration.set("parameters", GeminiSchemaFilter.filter(parameters));
      }
    }
    if (declarations.isEmpty()) {
      return null;
    }
    ArrayNode tools = Json.MAPPER.createArrayNode();
    tools.addObject().set("functionDeclarations", declarations);
    return tools;
  }

  /** The {@code toolConfig} for a {@code tool_choice}, or null when there is none. */
  ObjectNode toolConfig(JsonNode toolChoice) {
    ObjectNode config = Json.MAPPER.createObjectNode();
    ObjectNode calling = config.putObject("functionCallingConfig");
    if (toolChoice.isTextual()) {
      switch (toolChoice.asText()) {
        case "auto" -> calling.put("mode", "AUTO");
        case "none" -> calling.put("mode", "NONE");
        case "required" -> calling.put("mode", "ANY");
        default ->
            throw new IllegalArgumentException("unknown tool_choice: " + toolChoice.asText());
      }
      return config;
    }
    String name = toolChoice.path("function").path("name").asText("");
    if (name.isEmpty()) {
      return null;
    }
    calling.put("mode", "ANY");
    calling.putArray("allowedFunctionNames").add(name);
    return config;
  }

  /**
   * Gemini rejects an OBJECT schema with no properties, and a function without parameters means the
   * same, so such parameters are left out.
   */
  private static boolean hasProperties(JsonNode parameters) {
    if (!parameters.isObject() || parameters.isEmpty()) {
      return false;
    }
    return !"object".equals(parameters.path("type").asText())
        || !parameters.path("properties").isEmpty();
  }
}
