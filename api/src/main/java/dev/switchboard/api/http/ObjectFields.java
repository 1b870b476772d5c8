package dev.switchboard.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed, validated reads of a JSON object body's fields. Every failure is a 400 naming the field,
 * so a bad request is refused before anything is written.
 */
public final class ObjectFields {

  private final JsonNode body;

  public ObjectFields(JsonNode body) {
    this.body = body;
  }

  /** Refuses fields this endpoint does not know: a typo must not silently mean "not set". */
  public ObjectFields onlyKnown(Set<String> known) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ApiException.badRequest("Unknown field '" + name + "'; expected one of " + known);
      }
    }
    return this;
  }

  public boolean has(String field) {
    return body.has(field);
  }

  /** The field's raw value, for a reader with rules of its own; null when absent. */
  public JsonNode node(String field) {
    return body.get(field);
  }

  public boolean isNull(String field) {
    return body.has(field) && body.get(field).isNull();
  }

  public String requiredString(String field, int maxLength) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw ApiException.badRequest("'" + field + "' is required");
    }
    return string(field, value, maxLength);
  }

  public String optionalString(String field, int maxLength) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : string(field, value, maxLength);
  }

  private static String string(String field, JsonNode value, int maxLength) {
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ApiException.badRequest("'" + field + "' must be a non-empty string");
    }
    String text = value.asText();
    if (text.length() > maxLength) {
      throw ApiException.badRequest("'" + field + "' must be at most " + maxLength + " characters");
    }
    if (!isPlainText(text)) {
      throw ApiException.badRequest(
          "'" + field + "' must not contain control characters or invalid text");
    }
    return text;
  }

  /**
   * No control characters (NUL cannot even be stored) and no unpaired UTF-16 surrogates (they
   * cannot be encoded): what a name or a reason never needs.
   */
  static boolean isPlainText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** A non-negative decimal amount given as a JSON number or a decimal string. */
  public BigDecimal optionalAmount(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    BigDecimal amount;
    if (value.isNumber()) {
      amount = value.decimalValue();
    } else if (value.isTextual()) {
      try {
        amount = new BigDecimal(value.asText().trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("'" + field + "' must be a decimal amount in USD");
      }
    } else {
      throw ApiException.badRequest("'" + field + "' must be a decimal amount in USD");
    }
    if (amount.signum() < 0) {
      throw ApiException.badRequest("'" + field + "' must not be negative");
    }
    if (amount.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
      throw ApiException.badRequest("'" + field + "' is too large");
    }
    return amount;
  }

  public Instant optionalInstant(String field) {
    String text = optionalString(field, 64);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "'" + field + "' must be an ISO-8601 UTC time such as 2027-01-31T00:00:00Z");
    }
  }

  /** A whole number from {@code min} to {@code max}, or null when absent or null. */
  public Integer optionalInteger(String field, int min, int max) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw ApiException.badRequest("'" + field + "' must be a whole number");
    }
    int number = value.intValue();
    if (number < min || number > max) {
      throw ApiException.badRequest("'" + field + "' must be from " + min + " to " + max);
    }
    return number;
  }

  public Boolean optionalBoolean(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw ApiException.badRequest("'" + field + "' must be true or false");
    }
    return value.booleanValue();
  }
}
