package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI {@code messages} as Gemini {@code systemInstruction} and {@code contents}. Gemini knows
 * only the roles user and model, wants turns of one role merged, and takes tool results as
 * user-role {@code functionResponse} parts named after the function (not the call id).
 */
final class GeminiContentsMapper {

  /**
   * The mapped conversation; {@code systemInstruction} is null when there was no system message.
   */
  record Conversation(ObjectNode systemInstruction, ArrayNode contents) {}

  private final GeminiMediaParts media = new GeminiMediaParts();

  Conversation map(JsonNode messages) {
    ArrayNode systemParts = Json.MAPPER.createArrayNode();
    ArrayNode contents = Json.MAPPER.createArrayNode();
    Map<String, String> functionNamesByCallId = new HashMap<>();
    for (JsonNode message : messages) {
      String role = message.path("role").asText();
      switch (role) {
        case "system", "developer" -> addText(systemParts, textOf(message.path("content")));
        case "user" -> append(contents, "user", userParts(message.path("content")));
        case "assistant" ->
            append(contents, "model", assistantParts(message, functionNamesByCallId));
        case "tool" -> append(contents, "user", toolResultParts(message, functionNamesByCallId));
        default -> throw new IllegalArgumentException("unknown message role: " + role);
      }
    }
    ObjectNode systemInstruction = null;
    if (!systemParts.isEmpty()) {
      systemInstruction = Json.MAPPER.createObjectNode();
      systemInstruction.set("parts", systemParts);
    }
    return new Conversation(systemInstruction, contents);
  }

  private ArrayNode userParts(JsonNode content) {
    ArrayNode parts = Json.MAPPER.createArrayNode();
    if (content.isTextual()) {
      addText(parts, content.asText());
      return parts;
    }
    for (JsonNode part : content) {
      switch (part.path("type").asText()) {
        case "text" -> addText(parts, part.path("text").asText());
        case "image_url" -> parts.add(media.fromUrl(part.path("image_url").path("url").asText()));
        case "input_audio" -> parts.add(media.fromAudio(part.path("input_audio")));
        case "file" -> {
          String fileData = part.path("file").path("file_data").asText("");
          if (!fileData.isEmpty()) {
            parts.add(media.fromUrl(fileData));
          }
        }
        default -> {
          // Parts Gemini has no equivalent for are left out rather than failing the whole call.
        }
      }
    }
    return parts;
  }

  private static ArrayNode assistantParts(
      JsonNode message, Map<String, String> functionNamesByCallId) {
    ArrayNode parts = Json.MAPPER.createArrayNode();
    addText(parts, textOf(message.path("content")));
    for (JsonNode toolCall : message.path("tool_calls")) {
      JsonNode function = toolCall.path("function");
      String name = function.path("name").asText();
      functionNamesByCallId.put(toolCall.path("id").asText(), name);
      ObjectNode call = parts.addObject().putObject("functionCall");
      call.put("name", name);
      call.set("args", argumentsObject(function.path("arguments").asText("")));
    }
    return parts;
  }

  private static ArrayNode toolResultParts(
      JsonNode message, Map<String, String> functionNamesByCallId) {
    String callId = message.path("tool_call_id").asText();
    // The latest assistant turn wins: Gemini-generated ids (call_0, …) repeat across turns.
    String name = functionNamesByCallId.getOrDefault(callId, message.path("name").asText(callId));
    ArrayNode parts = Json.MAPPER.createArrayNode();
    ObjectNode functionResponse = parts.addObject().putObject("functionResponse");
    functionResponse.put("name", name);
    functionResponse
        .putObject("response")
        .set("content", resultValue(textOf(message.path("content"))));
    return parts;
  }

  /**
   * Gemini's {@code args} must be an object; arguments that are not one are kept verbatim under a
   * key.
   */
  private static JsonNode argumentsObject(String arguments) {
    if (arguments.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode parsed = Json.MAPPER.readTree(arguments);
      if (parsed.isObject()) {
        return parsed;
      }
    } catch (JsonProcessingException notJson) {
      // kept verbatim below
    }
    ObjectNode wrapped = Json.MAPPER.createObjectNode();
    wrapped.put("arguments", arguments);
    return wrapped;
  }

  private static JsonNode resultValue(String text) {
    try {
      JsonNode parsed = Json.MAPPER.readTree(text);
      if (parsed != null && !parsed.isMissingNode()) {
        return parsed;
      }
    } catch (JsonProcessingException notJson) {
      // plain text result
    }
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("result", text);
    return result;
  }

  /** The text of string content or of the text parts of part-list content. */
  private static String textOf(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /** Gemini refuses empty text parts, so empty text adds none. */
  private static void addText(ArrayNode parts, String text) {
    if (!text.isEmpty()) {
      parts.addObject().put("text", text);
    }
  }

  /**
   * Adds a turn, merged into the previous one when the role repeats (Gemini wants alternating
   * turns).
   */
  private static void append(ArrayNode contents, String role, ArrayNode parts) {
    if (parts.isEmpty()) {
      return;
    }
    JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("parts")).addAll(parts);
      return;
    }
    ObjectNode content = contents.addObject();
    content.put("role", role);
    content.set("parts", parts);
  }
}
