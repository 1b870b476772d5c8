package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Recorded Anthropic bodies and SSE transcripts, and JSON written inline in tests. */
public final class AnthropicFixtures {

  private AnthropicFixtures() {}

  public static byte[] bytes(String name) {
    String path = "/fixtures/anthropic/" + name;
    try (InputStream in = AnthropicFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<SseEvent> sse(String name) {
    return parseSse(new String(bytes(name), StandardCharsets.UTF_8));
  }

  /**
   * Splits an SSE transcript into events the way the client's reader does: blank lines end an
   * event.
   */
  public static List<SseEvent> parseSse(String transcript) {
    List<SseEvent> events = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    for (String line : transcript.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new SseEvent(event, data.toString()));
        }
        event = null;
        data = null;
      } else if (line.startsWith("event:")) {
        event = line.substring("event:".length()).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring("data:".length());
        value = value.startsWith(" ") ? value.substring(1) : value;
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    if (data != null) {
      events.add(new SseEvent(event, data.toString()));
    }
    return events;
  }

  public static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A node as it reads back from the wire: built nodes hold longs and doubles where parsed ones
   * hold ints and decimals, and Jackson's equality tells them apart.
   */
  public static JsonNode wire(JsonNode node) {
    try {
      return Json.MAPPER.readTree(node.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(SseEvent event) {
    return json(event.data());
  }
}
