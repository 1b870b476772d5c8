package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderError.Kind;
import dev.switchboard.api.provider.RetryAfter;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Anthropic's errors ({@code {"type":"error","error":{"type","message"}}}) as {@link
 * ProviderError}s. The HTTP status decides the kind, so an unreadable body is still classified; the
 * message is the provider's own.
 */
public final class AnthropicErrorMapper {

  private static final int MAX_RAW_MESSAGE = 300;

  /** An error answer to a request. */
  public ProviderError fromHttp(int status, HttpHeaders headers, byte[] body) {
    JsonNode error = readError(body);
    String message =
        error.path("message").isTextual()
            ? error.path("message").textValue()
            : rawMessage(status, body);
    return ProviderError.of(kind(status, message), status, message, RetryAfter.of(headers));
  }

  /**
   * An {@code error} event inside a stream. The HTTP status was 200, so the status Anthropic
   * documents for the error's type stands in for it.
   */
  public ProviderError fromStreamError(JsonNode event) {
    JsonNode error = event.path("error");
    String type = error.path("type").asText();
    String message = error.path("message").asText(type.isEmpty() ? "stream error" : type);
    int status = statusOf(type);
    return ProviderError.of(kind(status, message), status, message);
  }

  private static Kind kind(int status, String message) {
    return switch (status) {
      case 400 -> kindOfBadRequest(message.toLowerCase(Locale.ROOT));
      // 402 billing_error: Switchboard's account at this provider cannot pay; another provider
      // may.
      case 401, 402, 403 -> Kind.AUTHENTICATION;
      case 429 -> Kind.RATE_LIMITED;
      default -> status >= 500 ? Kind.UNAVAILABLE : Kind.BAD_REQUEST;
    };
  }

  private static Kind kindOfBadRequest(String message) {
    // "prompt is too long: 208310 tokens > 200000 maximum", "... exceed context limit: ..."
    if (message.contains("too long")
        || message.contains("context limit")
        || message.contains("context window")
        || message.contains("context length")) {
      return Kind.CONTEXT_LENGTH;
    }
    // Anthropic reports an exhausted prepaid balance as a 400; it is our account, not the request.
    if (message.contains("credit balance")) {
      return Kind.AUTHENTICATION;
    }
    return Kind.BAD_REQUEST;
  }

  private static int statusOf(String type) {
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> 500;
    };
  }

  private static JsonNode readError(byte[] body) {
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      return root == null ? Json.MAPPER.missingNode() : root.path("error");
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }

  private static String rawMessage(int status, byte[] body) {
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return "HTTP " + status + " with an empty body";
    }
    return text.length() > MAX_RAW_MESSAGE ? text.substring(0, MAX_RAW_MESSAGE) + "…" : text;
  }
}
