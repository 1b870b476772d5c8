package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.WireFixtures;
import java.util.List;

/** Recorded Gemini bodies under {@code fixtures/gemini/}, and JSON literals for expectations. */
final class Fixtures {

  private Fixtures() {}

  static byte[] bytes(String name) {
    return WireFixtures.bytes("gemini", name);
  }

  /** A recorded SSE transcript as the events the provider client would hand the decoder. */
  static List<SseEvent> sseEvents(String name) {
    return WireFixtures.sseEvents(bytes(name));
  }

  static List<SseEvent> sseEvents(byte[] transcript) {
    return WireFixtures.sseEvents(transcript);
  }

  static JsonNode json(String json) {
    return WireFixtures.node(json);
  }
}
