package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds deterministic tool-call arguments from a JSON schema's {@code required} properties. */
final class ToolArguments {
  private static final int TOKENS_PER_FRAGMENT = 3;

  private ToolArguments() {}

  static ToolCall callFor(ToolDefinition tool) {
    ObjectNode arguments = JsonCodec.object();
    JsonNode schema = tool.parameters() == null ? JsonCodec.object() : tool.parameters();
    JsonNode properties = schema.path("properties");
    for (JsonNode required : schema.path("required")) {
      String name = required.asText();
      putSample(arguments, name, typeOf(properties.path(name)));
    }
    String json = arguments.toString();
    int tokens = Tokenizer.count(tool.name()) + Tokenizer.count(json);
    return new ToolCall(tool.name(), arguments, json, fragments(json), tokens);
  }

  /**
   * JSON-schema types may be a string or an array such as ["string","null"]; Gemini spells them
   * upper-case.
   */
  private static String typeOf(JsonNode property) {
    JsonNode type = property.path("type");
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equalsIgnoreCase(t.asText())) {
          return t.asText().toLowerCase(Locale.ROOT);
        }
      }
      return "null";
    }
    return type.asText("").toLowerCase(Locale.ROOT);
  }

  private static void putSample(ObjectNode arguments, String name, String type) {
    switch (type) {
      case "string":
        arguments.put(name, "sample");
        break;
      case "number":
      case "integer":
        arguments.put(name, 1);
        break;
      case "boolean":
        arguments.put(name, true);
        break;
      default:
        arguments.putNull(name);
    }
  }

  private static List<String> fragments(String json) {
    List<String> pieces = Tokenizer.pieces(json);
    List<String> fragments = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i += TOKENS_PER_FRAGMENT) {
      fragments.add(
          String.join("", pieces.subList(i, Math.min(pieces.size(), i + TOKENS_PER_FRAGMENT))));
    }
    return fragments;
  }
}
