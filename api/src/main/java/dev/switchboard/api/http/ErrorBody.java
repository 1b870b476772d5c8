package dev.switchboard.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The one error shape: {@code {"error":{"code":<status>,"message":"…","metadata":{…}}}}. */
public final class ErrorBody {

  private ErrorBody() {}

  public static ObjectNode of(int status, String message, Map<String, Object> metadata) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", status);
    error.put("message", message);
    if (!metadata.isEmpty()) {
      error.set("metadata", Json.MAPPER.valueToTree(metadata));
    }
    return root;
  }

  public static ObjectNode of(ApiException e) {
    return of(e.status(), e.getMessage(), e.metadata());
  }

  public static byte[] bytes(ApiException e) {
    return Json.bytes(of(e));
  }

  /**
   * The same error as Anthropic's Messages API shapes it, for {@code /messages}, so the Anthropic
   * SDKs raise their own error types: {@code
   * {"type":"error","error":{"type":"invalid_request_error",
   * "message":"…","code":400,"metadata":{…}}}} — still {@code error.code} and {@code
   * error.message}.
   */
  public static ObjectNode anthropic(ApiException e) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", anthropicType(e.status()));
    error.put("message", e.getMessage());
    error.put("code", e.status());
    if (!e.metadata().isEmpty()) {
      error.set("metadata", Json.MAPPER.valueToTree(e.metadata()));
    }
    return root;
  }

  /** Anthropic's name for an error of this HTTP status. */
  public static String anthropicType(int status) {
    return switch (status) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 408, 504 -> "timeout_error";
      case 503, 529 -> "overloaded_error";
      default -> "api_error";
    };
  }
}
