package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of request fields that turn wrong types into 400s instead of silently guessing. */
final class RequestFields {
  private RequestFields() {}

  static String requiredText(JsonNode body, String field) throws InvalidRequestException {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw new InvalidRequestException(field + ": Field required (a non-empty string)");
    }
    return node.asText();
  }

  static Integer optionalPositiveInt(JsonNode body, String field) throws InvalidRequestException {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
      throw new InvalidRequestException(field + ": must be a positive integer");
    }
    return node.asInt();
  }

  static boolean optionalBoolean(JsonNode body, String field) throws InvalidRequestException {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new InvalidRequestException(field + ": must be a boolean");
    }
    return node.asBoolean();
  }

  static JsonNode requiredArray(JsonNode body, String field) throws InvalidRequestException {
    JsonNode node = body.get(field);
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new InvalidRequestException(field + ": Field required (a non-empty array)");
    }
    return node;
  }

  /** A stop field that may be a single string or an array of strings. */
  static List<String> stringOrArray(JsonNode node) throws InvalidRequestException {
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull() || node.isMissingNode()) {
      return values;
    }
    if (node.isTextual()) {
      values.add(node.asText());
      return values;
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("stop sequences must be a string or an array of strings");
    }
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new InvalidRequestException("stop sequences must be strings");
      }
      values.add(item.asText());
    }
    return values;
  }
}
