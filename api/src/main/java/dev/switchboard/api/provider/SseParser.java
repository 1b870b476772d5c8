package dev.switchboard.api.provider;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental server-sent-events parser: bytes in as they arrive (split anywhere, even inside a
 * UTF-8 character or a CRLF), complete events out. Follows the SSE rules: {@code event:} and {@code
 * data:} fields, multi-line data joined with newlines, comments ({@code :…}) ignored, an empty line
 * ends an event.
 */
public final class SseParser {

  private static final int MAX_LINE = 16 * 1024 * 1024;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private boolean lastWasCr;
  private String eventName;
  private StringBuilder data;

  /** Feeds bytes; returns the events they completed. */
  public List<SseEvent> feed(ByteBuffer bytes) {
    List<SseEvent> events = new ArrayList<>(2);
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue; // second half of a CRLF
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine(events);
      } else {
        if (line.size() >= MAX_LINE) {
          throw new IllegalStateException(
              "server-sent event line longer than " + MAX_LINE + " bytes");
        }
        line.write(b);
      }
    }
    return events;
  }

  /** The stream ended: an event not terminated by an empty line is still delivered. */
  public List<SseEvent> finish() {
    List<SseEvent> events = new ArrayList<>(1);
    if (line.size() > 0) {
      endLine(events);
    }
    dispatch(events);
    return events;
  }

  private void endLine(List<SseEvent> events) {
    if (line.size() == 0) {
      dispatch(events);
      return;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventName = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> {
        // id, retry and unknown fields carry nothing we use
      }
    }
  }

  private void dispatch(List<SseEvent> events) {
    if (data != null) {
      events.add(new SseEvent(eventName, data.toString()));
    }
    data = null;
    eventName = null;
  }
}
