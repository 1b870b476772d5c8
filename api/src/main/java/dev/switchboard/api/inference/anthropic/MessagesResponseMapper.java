package dev.switchboard.api.inference.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;

/** Switchboard's OpenAI {@code chat.completion} as an Anthropic {@code message}. */
public final class MessagesResponseMapper {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public ObjectNode toMessage(ObjectNode completion) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode result = NODES.objectNode();
    result.put("id", completion.path("id").asText());
    result.put("type", "message");
    result.put("role", "assistant");
    result.put("model", completion.path("model").asText());
    ArrayNode content = result.putArray("content");
    String reasoning = message.path("reasoning").asText("");
    if (!reasoning.isEmpty()) {
      // No provider signature survives the OpenAI shape; an empty one tells SDKs there is none.
      content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
    }
    String text = message.path("content").asText("");
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode toolUse = content.addObject();
      toolUse.put("type", "tool_use");
      toolUse.put("id", call.path("id").asText());
      toolUse.put("name", call.path("function").path("name").asText());
      toolUse.set("input", input(call.path("function").path("arguments").asText("")));
    }
    result.put(
        "stop_reason",
        MessagesStopReason.of(
            choice.path("finish_reason").textValue(),
            choice.path("native_finish_reason").textValue()));
    result.putNull("stop_sequence");
    result.set("usage", MessagesUsage.from(completion.get("usage")).toJson());
    return result;
  }

  /**
   * Anthropic's {@code input} is always an object. Arguments that are not a JSON object (a model's
   * broken output relayed from an OpenAI-shaped provider) become an empty one rather than failing
   * the answer.
   */
  static ObjectNode input(String arguments) {
    if (!arguments.isBlank()) {
      try {
        if (Json.MAPPER.readTree(arguments) instanceof ObjectNode object) {
          return object;
        }
      } catch (JsonProcessingException e) {
        // falls through to the empty object
      }
    }
    return NODES.objectNode();
  }
}
