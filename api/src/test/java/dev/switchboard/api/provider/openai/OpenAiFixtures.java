package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.WireFixtures;
import java.util.List;

/** Recorded OpenAI bodies and SSE transcripts under {@code fixtures/openai/}, and inline JSON. */
public final class OpenAiFixtures {

  private OpenAiFixtures() {}

  public static byte[] bytes(String name) {
    return WireFixtures.bytes("openai", name);
  }

  /** A recorded transcript as the events the provider client hands the decoder. */
  public static List<SseEvent> sseEvents(String name) {
    return WireFixtures.sseEvents(bytes(name));
  }

  public static ObjectNode json(String text) {
    return WireFixtures.json(text);
  }

  public static JsonNode wire(JsonNode node) {
    return WireFixtures.wire(node);
  }
}
