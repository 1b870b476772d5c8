package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Recorded OpenAI bodies and SSE transcripts under {@code fixtures/openai/}, and inline JSON. */
public final class OpenAiFixtures {

  private OpenAiFixtures() {}

  public static byte[] bytes(String name) {
    String path = "/fixtures/openai/" + name;
    try (InputStream in = OpenAiFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded transcript as the events the provider client hands the decoder. */
  public static List<SseEvent> sseEvents(String name) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(ByteBuffer.wrap(bytes(name))));
    events.addAll(parser.finish());
    return events;
  }

  /** JSON parsed by the gateway's mapper, so numbers compare equal to mapped ones. */
  public static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A node as it reads back from the wire: built nodes hold longs where parsed ones hold ints. */
  public static JsonNode wire(JsonNode node) {
    try {
      return Json.MAPPER.readTree(Json.bytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
