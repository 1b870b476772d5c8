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
}
