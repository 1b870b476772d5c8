package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.StreamEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible stream: {@code data: {chunk}} events, a usage chunk with empty {@code
 * choices}, then {@code data: [DONE]}. An {@code error} object in a data event is the provider's
 * in-band failure.
 */
public final class OpenAiStreamDecoder implements StreamDecoder {

  @Override
  public List<StreamEvent> decode(SseEvent event) throws ProviderException {
    String data = event.data();
    if (data.isBlank()) {
      return List.of(); // a bare "data:" line, sent by some providers as a keep-alive
    }
    if ("[DONE]".equals(data.trim())) {
      return List.of(new StreamEvent.Done());
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(data);
    } catch (IOException e) {
      throw OpenAiResponseMapper.malformed("the provider sent an unreadable stream event");
    }
    if (root == null || !root.isObject()) {
      throw OpenAiResponseMapper.malformed(
          "the provider sent a stream event that is not an object");
    }
    ObjectNode chunk = (ObjectNode) root;
    if (chunk.hasNonNull("error")) {
      JsonNode error = chunk.get("error");
      return List.of(
          new StreamEvent.Failure(
              ProviderError.of(
                  ProviderError.Kind.UNAVAILABLE,
                  error.path("code").asInt(0),
                  error.path("message").asText("the provider reported an error in the stream"))));
    }
    List<StreamEvent> events = new ArrayList<>(2);
    JsonNode choices = chunk.get("choices");
    if (choices != null && choices.isArray() && !choices.isEmpty()) {
      for (JsonNode choice : choices) {
        if (choice instanceof ObjectNode c) {
          OpenAiResponseMapper.normalizeFinishReason(c);
        }
      }
      ObjectNode copy = chunk.deepCopy();
      copy.remove("usage");
      events.add(new StreamEvent.Chunk(copy));
    }
    JsonNode usage = chunk.get("usage");
    if (usage instanceof ObjectNode u) {
      events.add(new StreamEvent.Usage(u));
    }
    return events;
  }
}
