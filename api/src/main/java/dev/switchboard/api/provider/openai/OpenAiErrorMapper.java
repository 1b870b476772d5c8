package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderError.Kind;
import dev.switchboard.api.provider.RetryAfter;
import java.net.http.HttpHeaders;
import java.time.Duration;

/**
 * An OpenAI-compatible error ({@code {"error":{"message","type","code"}}}) → a classified error.
 */
public final class OpenAiErrorMapper {

  private OpenAiErrorMapper() {}

  public static ProviderError fromError(int status, HttpHeaders headers, byte[] body) {
    String message = "the provider answered HTTP " + status;
    String code = "";
    try {
      JsonNode error = Json.MAPPER.readTree(body).path("error");
      if (error.hasNonNull("message")) {
        message = error.get("message").asText();
      }
      code = error.path("code").asText("") + " " + error.path("type").asText("");
    } catch (Exception e) {
      // an unreadable error body is still classified by its status
    }
    Duration retryAfter = RetryAfter.of(headers);
    Kind kind =
        switch (status) {
          case 400, 404, 413, 422 ->
              code.contains("context_length") || message.contains("context length")
                  ? Kind.CONTEXT_LENGTH
                  : Kind.BAD_REQUEST;
          case 401, 403 -> Kind.AUTHENTICATION;
          case 402 -> Kind.UNAVAILABLE;
          case 408, 504 -> Kind.TIMEOUT;
          case 429 -> Kind.RATE_LIMITED;
          default -> status >= 500 ? Kind.UNAVAILABLE : Kind.BAD_REQUEST;
        };
    return ProviderError.of(kind, status, message, retryAfter);
  }
}
