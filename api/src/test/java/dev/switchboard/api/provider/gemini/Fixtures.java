package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Recorded Gemini bodies under {@code fixtures/gemini/}, and JSON literals for expectations. */
final class Fixtures {

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/gemini/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded SSE transcript as the events the provider client would hand the decoder. */
  static List<SseEvent> sseEvents(String name) {
    return sseEvents(bytes(name));
  }

  static List<SseEvent> sseEvents(byte[] transcript) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(ByteBuffer.wrap(transcript)));
    events.addAll(parser.finish());
    return events;
  }

  /** JSON parsed by the gateway's mapper, so numbers compare equal to mapped ones. */
  static JsonNode json(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
