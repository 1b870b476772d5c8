package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.WireFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Recorded Anthropic bodies and SSE transcripts, and JSON written inline in tests. */
public final class AnthropicFixtures {

  private AnthropicFixtures() {}

  public static byte[] bytes(String name) {
    return WireFixtures.bytes("anthropic", name);
  }

  public static List<SseEvent> sse(String name) {
    return WireFixtures.sseEvents(bytes(name));
  }

  /** An SSE transcript written inline, as the events the provider client hands the decoder. */
  public static List<SseEvent> parseSse(String transcript) {
    return WireFixtures.sseEvents(transcript.getBytes(StandardCharsets.UTF_8));
  }

  public static ObjectNode json(String text) {
    return WireFixtures.json(text);
  }

  public static JsonNode wire(JsonNode node) {
    return WireFixtures.wire(node);
  }

  public static JsonNode json(SseEvent event) {
    return json(event.data());
  }
}
