package dev.switchboard.webui.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads response bodies keeping every JSON number as an exact decimal, so money compares to the
 * nano-dollar.
 */
final class ExactJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private ExactJson() {}

  static JsonNode parse(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + abbreviate(body), e);
    }
  }

  static String abbreviate(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}
