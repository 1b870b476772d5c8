package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.io.UncheckedIOException;

/**
 * A Gemini {@code functionCall} as an OpenAI tool call. Gemini gives calls no id, so one is made
 * from the call's position in the answer: deterministic, and unique within it, which is all a tool
 * result needs.
 */
final class GeminiToolCalls {

  private GeminiToolCalls() {}

  static String id(int index) {
    return "call_" + index;
  }

  static ObjectNode toolCall(int index, GeminiReply.FunctionCall call) {
    ObjectNode toolCall = Json.MAPPER.createObjectNode();
    toolCall.put("id", id(index));
    toolCall.put("type", "function");
    ObjectNode function = toolCall.putObject("function");
    function.put("name", call.name());
    function.put("arguments", compactJson(call.args()));
    return toolCall;
  }

  /** The stream form: the whole call in one fragment, with its position in the stream. */
  static ObjectNode toolCallDelta(int index, GeminiReply.FunctionCall call) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.put("index", index);
    delta.setAll(toolCall(index, call));
    return delta;
  }

  private static String compactJson(JsonNode args) {
    if (args.isMissingNode() || args.isNull()) {
      return "{}";
    }
    try {
      return Json.MAPPER.writeValueAsString(args);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
