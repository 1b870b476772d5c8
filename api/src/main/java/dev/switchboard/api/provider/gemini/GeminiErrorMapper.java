package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderError.Kind;
import dev.switchboard.api.provider.RetryAfter;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Gemini's {@code {"error":{"code","message","status"}}} (Google's RPC status) as a classified
 * error. The RPC status decides where it is known; otherwise, and for bodies that are not Gemini's,
 * the HTTP status.
 */
public final class GeminiErrorMapper {

  private static final Pattern CONTEXT_OVERFLOW =
      Pattern.compile(
          "token count|maximum number of tokens|context (length|window)|too many tokens",
          Pattern.CASE_INSENSITIVE);

  /** Gemini answers a bad API key with 400 INVALID_ARGUMENT, not 401. */
  private static final Pattern INVALID_API_KEY =
      Pattern.compile(
          "API_KEY_INVALID|API key not valid|API key expired", Pattern.CASE_INSENSITIVE);

  private static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

  public ProviderError fromHttp(int status, HttpHeaders headers, byte[] body) {
    JsonNode error = errorObject(body);
    Duration retryAfter = RetryAfter.of(headers);
    if (error == null) {
      return ProviderError.of(
          kindByHttpStatus(status, ""), status, "Gemini answered HTTP " + status, retryAfter);
    }
    return classify(status, error, retryAfter);
  }

  /** An error object sent inside a stream; its {@code code} stands in for the HTTP status. */
  public ProviderError fromStreamError(JsonNode error) {
    return classify(error.path("code").asInt(0), error, null);
  }

  private static ProviderError classify(int httpStatus, JsonNode error, Duration retryAfterHeader) {
    int status = httpStatus > 0 ? httpStatus : error.path("code").asInt(0);
    String message = error.path("message").asText("Gemini answered HTTP " + status);
    String rpcStatus = error.path("status").asText("");
    Kind kind =
        switch (rpcStatus) {
          case "INVALID_ARGUMENT" -> invalidArgument(message, error);
          case "FAILED_PRECONDITION", "NOT_FOUND" -> Kind.BAD_REQUEST;
          case "PERMISSION_DENIED", "UNAUTHENTICATED" -> Kind.AUTHENTICATION;
          case "RESOURCE_EXHAUSTED" -> Kind.RATE_LIMITED;
          case "UNAVAILABLE", "INTERNAL" -> Kind.UNAVAILABLE;
          case "DEADLINE_EXCEEDED" -> Kind.TIMEOUT;
          default -> kindByHttpStatus(status, message);
        };
    Duration retryAfter = retryAfterHeader != null ? retryAfterHeader : retryInfoDelay(error);
    return ProviderError.of(kind, status, message, kind == Kind.RATE_LIMITED ? retryAfter : null);
  }

  private static Kind invalidArgument(String message, JsonNode error) {
    String details = error.path("details").toString();
    if (INVALID_API_KEY.matcher(message).find() || INVALID_API_KEY.matcher(details).find()) {
      return Kind.AUTHENTICATION;
    }
    return CONTEXT_OVERFLOW.matcher(message).find() ? Kind.CONTEXT_LENGTH : Kind.BAD_REQUEST;
  }

  private static Kind kindByHttpStatus(int status, String message) {
    return switch (status) {
      case 400 -> CONTEXT_OVERFLOW.matcher(message).find() ? Kind.CONTEXT_LENGTH : Kind.BAD_REQUEST;
      case 401, 403 -> Kind.AUTHENTICATION;
      case 408, 504 -> Kind.TIMEOUT;
      case 429 -> Kind.RATE_LIMITED;
      default -> status >= 500 || status <= 0 ? Kind.UNAVAILABLE : Kind.BAD_REQUEST;
    };
  }

  /**
   * The {@code error} object, also when the streaming endpoint wraps it in an array; null if none.
   */
  private static JsonNode errorObject(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      if (root != null && root.isArray()) {
        root = root.path(0);
      }
      JsonNode error = root == null ? null : root.path("error");
      return error != null && error.isObject() ? error : null;
    } catch (IOException unreadable) {
      return null;
    }
  }

  /**
   * {@code details[].retryDelay} of a {@code google.rpc.RetryInfo}, e.g. {@code "37s"} or {@code
   * "1.5s"}.
   */
  private static Duration retryInfoDelay(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      String delay = detail.path("retryDelay").asText("");
      if (RETRY_INFO_TYPE.equals(detail.path("@type").asText())
          && delay.matches("\\d+(\\.\\d+)?s")) {
        BigDecimal seconds = new BigDecimal(delay.substring(0, delay.length() - 1));
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
      }
    }
    return null;
  }
}
