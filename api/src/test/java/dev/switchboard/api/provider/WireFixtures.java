package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded provider bodies and SSE transcripts under {@code fixtures/<format>/}, read the way the
 * gateway reads the wire: transcripts through the client's own {@link SseParser}, JSON through its
 * mapper. The per-format fixture classes name their folder and delegate here.
 */
public final class WireFixtures {

  private WireFixtures() {}

  public static byte[] bytes(String format, String name) {
    String path = "/fixtures/" + format + "/" + name;
    try (InputStream in = WireFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A transcript as the events the provider client hands the decoder. */
  public static List<SseEvent> sseEvents(byte[] transcript) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(ByteBuffer.wrap(transcript)));
    events.addAll(parser.finish());
    return events;
  }

  /** JSON parsed by the gateway's mapper, so numbers compare equal to mapped ones. */
  public static JsonNode node(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON object, parsed as {@link #node}. */
  public static ObjectNode json(String text) {
    return (ObjectNode) node(text);
  }

  /**
   * A node as it reads back from the wire: built nodes hold longs and doubles where parsed ones
   * hold ints and decimals, and Jackson's equality tells them apart.
   */
  public static JsonNode wire(JsonNode node) {
    try {
      return Json.MAPPER.readTree(Json.bytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
