package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import java.io.IOException;

/** An Anthropic {@code message} as an OpenAI {@code chat.completion}. */
public final class AnthropicResponseMapper {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Maps a successful body.
   *
   * @param includeReasoning false when the caller asked for {@code reasoning.exclude}
   * @throws ProviderException when the body is not an Anthropic message
   */
  public ObjectNode toChatCompletion(byte[] body, boolean includeReasoning)
      throws ProviderException {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw malformed("Anthropic response is not JSON");
    }
    if (message == null
        || !"message".equals(message.path("type").asText())
        || !message.path("content").isArray()) {
      throw malformed("Anthropic response is not a message");
    }
    return toChatCompletion(message, includeReasoning);
  }

  ObjectNode toChatCompletion(JsonNode message, boolean includeReasoning) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode toolCalls = NODES.arrayNode();
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> reasoning.append(block.path("thinking").asText());
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject();
          call.put("id", block.path("id").asText());
          call.put("type", "function");
          ObjectNode function = call.putObject("function");
          function.put("name", block.path("name").asText());
          JsonNode input = block.path("input");
          function.put("arguments", input.isObject() ? input.toString() : "{}");
        }
        default -> {
          // redacted_thinking is encrypted and server-tool blocks have no OpenAI counterpart.
        }
      }
    }

    ObjectNode completion = NODES.objectNode();
    completion.put("id", message.path("id").asText());
    completion.put("object", "chat.completion");
    // Stamped by the gateway, which owns the clock.
    completion.put("created", 0);
    completion.put("model", message.path("model").asText());
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode assistant = choice.putObject("message");
    assistant.put("role", "assistant");
    if (text.length() > 0) {
      assistant.put("content", text.toString());
    } else {
      assistant.putNull("content");
    }
    if (includeReasoning && reasoning.length() > 0) {
      assistant.put("reasoning", reasoning.toString());
    }
    if (!toolCalls.isEmpty()) {
      assistant.set("tool_calls", toolCalls);
    }
    String stopReason = message.path("stop_reason").asText("end_turn");
    choice.put("finish_reason", StopReason.toFinishReason(stopReason));
    choice.put("native_finish_reason", stopReason);
    if (message.path("usage").isObject()) {
      completion.set("usage", AnthropicUsage.from(message.path("usage")).toOpenAi());
    }
    return completion;
  }

  private static ProviderException malformed(String message) {
    return new ProviderException(
        ProviderError.of(ProviderError.Kind.MALFORMED_RESPONSE, 200, message));
  }
}
