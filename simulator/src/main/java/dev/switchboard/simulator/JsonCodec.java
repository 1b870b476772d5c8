package dev.switchboard.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The single shared Jackson mapper; trailing garbage after a JSON value counts as malformed input.
 */
final class JsonCodec {
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private JsonCodec() {}

  static JsonNode parseObject(byte[] body) throws InvalidRequestException {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidRequestException(
          "Could not parse the JSON body of the request: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("The request body must be a JSON object");
    }
    return node;
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(JsonNode node) {
    return node.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
