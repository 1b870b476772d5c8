package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderException;
import java.util.List;

/** A Gemini {@code GenerateContentResponse} as an OpenAI {@code chat.completion}. */
public final class GeminiResponseMapper {

  /**
   * @throws ProviderException ({@code MALFORMED_RESPONSE}) when the body is not JSON, or has
   *     neither a candidate nor a prompt block reason
   */
  public ObjectNode toChatCompletion(String upstreamModel, byte[] body) throws ProviderException {
    JsonNode response = GeminiBodyReader.readObject(body);
    GeminiReply reply = GeminiReply.of(response);
    if (!reply.hasCandidate() && !reply.promptBlocked()) {
      throw GeminiBodyReader.malformed("Gemini answered without a candidate");
    }
    ObjectNode completion = Json.MAPPER.createObjectNode();
    // Placeholders for id and created: the gateway stamps its own.
    completion.put("id", "gen-gemini");
    completion.put("object", "chat.completion");
    completion.put("created", 0);
    completion.put("model", response.path("modelVersion").asText(upstreamModel));
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message(reply));
    if (reply.promptBlocked()) {
      choice.put("finish_reason", "content_filter");
      choice.put("native_finish_reason", reply.blockReason());
    } else {
      choice.put(
          "finish_reason",
          GeminiFinishReason.normalize(reply.finishReason(), !reply.functionCalls().isEmpty()));
      choice.put("native_finish_reason", reply.finishReason());
    }
    ObjectNode usage = GeminiUsageMapper.toUsage(reply.usageMetadata());
    if (usage != null) {
      completion.set("usage", usage);
    }
    return completion;
  }

  private static ObjectNode message(GeminiReply reply) {
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("role", "assistant");
    if (reply.text() != null) {
      message.put("content", reply.text());
    } else if (reply.functionCalls().isEmpty()) {
      message.put("content", "");
    } else {
      message.putNull("content");
    }
    if (reply.reasoning() != null) {
      message.put("reasoning", reply.reasoning());
    }
    if (!reply.functionCalls().isEmpty()) {
      message.set("tool_calls", toolCalls(reply.functionCalls()));
    }
    return message;
  }

  private static ArrayNode toolCalls(List<GeminiReply.FunctionCall> calls) {
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    for (int i = 0; i < calls.size(); i++) {
      toolCalls.add(GeminiToolCalls.toolCall(i, calls.get(i)));
    }
    return toolCalls;
  }
}
