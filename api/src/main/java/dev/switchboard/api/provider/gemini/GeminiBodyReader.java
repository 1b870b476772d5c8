package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import java.io.IOException;

/** Reads a Gemini JSON object, or fails with {@code MALFORMED_RESPONSE}. */
final class GeminiBodyReader {

  private GeminiBodyReader() {}

  static JsonNode readObject(byte[] body) throws ProviderException {
    try {
      return requireObject(Json.MAPPER.readTree(body));
    } catch (JsonProcessingException e) {
      throw malformed("Gemini sent unreadable JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed("Gemini sent unreadable JSON");
    }
  }

  static JsonNode readObject(String data) throws ProviderException {
    try {
      return requireObject(Json.MAPPER.readTree(data));
    } catch (JsonProcessingException e) {
      throw malformed("Gemini sent unreadable JSON: " + e.getOriginalMessage());
    }
  }

  static ProviderException malformed(String message) {
    return new ProviderException(
        ProviderError.of(ProviderError.Kind.MALFORMED_RESPONSE, 200, message));
  }

  private static JsonNode requireObject(JsonNode node) throws ProviderException {
    if (node == null || !node.isObject()) {
      throw malformed("Gemini sent JSON that is not an object");
    }
    return node;
  }
}
