package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.Json;
import java.util.List;

/**
 * {@code POST /completions}, the legacy text API: the prompt becomes one user message, and answers
 * are rendered as {@code text_completion} objects with {@code choices[].text}.
 */
public final class CompletionsProtocol implements ClientProtocol {

  /** Rewrites a completions request into the chat shape: {@code prompt} → {@code messages}. */
  public static ObjectNode toChatRequest(JsonNode body) {
    ObjectNode chat = ((ObjectNode) body).deepCopy();
    JsonNode prompt = chat.remove("prompt");
    if (chat.has("messages")) {
      throw ApiException.badRequest("The completions API takes 'prompt', not 'messages'");
    }
    String text;
    if (prompt != null && prompt.isTextual()) {
      text = prompt.textValue();
    } else if (prompt != null
        && prompt.isArray()
        && prompt.size() == 1
        && prompt.get(0).isTextual()) {
      text = prompt.get(0).textValue();
    } else {
      throw ApiException.badRequest("'prompt' must be a string");
    }
    if (text.isEmpty()) {
      throw ApiException.badRequest("'prompt' must not be empty");
    }
    ArrayNode messages = chat.putArray("messages");
    messages.addObject().put("role", "user").put("content", text);
    return chat;
  }

  @Override
  public ApiType apiType() {
    return ApiType.COMPLETIONS;
  }

  @Override
  public byte[] response(ObjectNode completion) {
    return Json.bytes(toText(completion, "text_completion"));
  }

  @Override
  public StreamEncoder streamEncoder() {
    return new StreamEncoder() {
      @Override
      public List<byte[]> chunk(ObjectNode chunk) {
        return List.of(SseFrames.data(Json.bytes(toText(chunk, "text_completion"))));
      }

      @Override
      public List<byte[]> finish(ObjectNode usageChunk) {
        return List.of(
            SseFrames.data(Json.bytes(toText(usageChunk, "text_completion"))), SseFrames.DONE);
      }

      @Override
      public List<byte[]> error(ObjectNode errorChunk) {
        return List.of(SseFrames.data(Json.bytes(toText(errorChunk, "text_completion"))));
      }
    };
  }

  /** Chat choices ({@code message} or {@code delta}) → text choices. */
  static ObjectNode toText(ObjectNode chat, String object) {
    ObjectNode text = chat.deepCopy();
    text.put("object", object);
    JsonNode choices = text.get("choices");
    if (choices instanceof ArrayNode array) {
      ArrayNode converted = Json.MAPPER.createArrayNode();
      for (JsonNode choice : array) {
        JsonNode message = choice.has("message") ? choice.get("message") : choice.path("delta");
        ObjectNode out = converted.addObject();
        out.put("index", choice.path("index").asInt(0));
        out.put("text", message.path("content").asText(""));
        out.set("finish_reason", choice.get("finish_reason"));
        if (choice.has("native_finish_reason")) {
          out.set("native_finish_reason", choice.get("native_finish_reason"));
        }
        out.putNull("logprobs");
      }
      text.set("choices", converted);
    }
    return text;
  }
}
