package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ErrorBody;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.inference.anthropic.MessagesRequestMapper;
import dev.switchboard.api.inference.anthropic.MessagesResponseMapper;
import dev.switchboard.api.inference.anthropic.MessagesStreamEncoder;
import dev.switchboard.api.provider.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /messages}: the Anthropic Messages API, so Anthropic SDKs work against Switchboard.
 * Requests are mapped into the chat shape, answers and streams back into messages and Anthropic's
 * events.
 */
public final class MessagesProtocol implements ClientProtocol {

  private static final MessagesRequestMapper REQUESTS = new MessagesRequestMapper();
  private static final MessagesResponseMapper RESPONSES = new MessagesResponseMapper();

  /**
   * Maps an Anthropic request body into the chat shape; invalid input is a 400 naming the field.
   */
  public static ObjectNode toChatRequest(JsonNode body) {
    try {
      return REQUESTS.toChatRequest(body);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  @Override
  public ApiType apiType() {
    return ApiType.MESSAGES;
  }

  @Override
  public byte[] response(ObjectNode completion) {
    return Json.bytes(RESPONSES.toMessage(completion));
  }

  @Override
  public StreamEncoder streamEncoder() {
    return new StreamEncoder() {
      // Anthropic's first event names the message and model: made from the first chunk, which
      // carries them
      private MessagesStreamEncoder encoder;

      private MessagesStreamEncoder encoder(ObjectNode chunk) {
        if (encoder == null) {
          encoder =
              new MessagesStreamEncoder(chunk.path("id").asText(), chunk.path("model").asText());
        }
        return encoder;
      }

      @Override
      public List<byte[]> chunk(ObjectNode chunk) {
        return frames(encoder(chunk).onChunk(chunk));
      }

      @Override
      public List<byte[]> finish(ObjectNode usageChunk) {
        JsonNode usage = usageChunk.get("usage");
        return frames(encoder(usageChunk).finish(usage instanceof ObjectNode u ? u : null));
      }

      @Override
      public List<byte[]> error(ObjectNode errorChunk) {
        JsonNode error = errorChunk.path("error");
        String type = ErrorBody.anthropicType(error.path("code").asInt(500));
        return frames(List.of(encoder(errorChunk).error(type, error.path("message").asText())));
      }
    };
  }

  @Override
  public byte[] errorBody(ApiException error) {
    return Json.bytes(ErrorBody.anthropic(error));
  }

  private static List<byte[]> frames(List<SseEvent> events) {
    List<byte[]> frames = new ArrayList<>(events.size());
    for (SseEvent event : events) {
      frames.add(SseFrames.event(event.event(), event.data().getBytes(StandardCharsets.UTF_8)));
    }
    return frames;
  }
}
