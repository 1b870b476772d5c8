package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import java.io.IOException;

/**
 * An OpenAI-compatible provider's {@code chat.completion} body → Switchboard's (the same shape,
 * checked).
 */
public final class OpenAiResponseMapper {

  private OpenAiResponseMapper() {}

  public static ObjectNode fromResponse(byte[] body) throws ProviderException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw malformed("the provider's answer is not JSON");
    }
    if (root == null
        || !root.isObject()
        || !root.path("choices").isArray()
        || root.path("choices").isEmpty()) {
      throw malformed("the provider's answer has no choices");
    }
    ObjectNode response = (ObjectNode) root;
    for (JsonNode choice : (ArrayNode) response.get("choices")) {
      if (choice instanceof ObjectNode c) {
        normalizeFinishReason(c);
      }
    }
    return response;
  }

  /**
   * Keeps the provider's own value as {@code native_finish_reason}, normalizes {@code
   * finish_reason}.
   */
  static void normalizeFinishReason(ObjectNode choice) {
    JsonNode reason = choice.get("finish_reason");
    if (reason == null || reason.isNull()) {
      return;
    }
    String text = reason.asText();
    if (!choice.has("native_finish_reason")) {
      choice.put("native_finish_reason", text);
    }
    choice.put(
        "finish_reason",
        switch (text) {
          case "stop", "end_turn", "stop_sequence", "eos" -> "stop";
          case "length", "max_tokens", "model_length" -> "length";
          case "tool_calls", "function_call", "tool_use" -> "tool_calls";
          case "content_filter", "safety" -> "content_filter";
          case "error" -> "error";
          default -> text;
        });
  }

  static ProviderException malformed(String message) {
    return new ProviderException(
        ProviderError.of(ProviderError.Kind.MALFORMED_RESPONSE, 200, message));
  }
}
