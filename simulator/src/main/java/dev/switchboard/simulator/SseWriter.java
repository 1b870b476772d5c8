package dev.switchboard.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes SSE events and flushes each one, so clients see every chunk the moment it is produced. */
final class SseWriter {
  private final OutputStream out;
  private final String lineEnd;

  /**
   * @param lineEnd {@code "\n"}, or {@code "\r\n"} for formats whose real servers use CRLF (Gemini)
   */
  SseWriter(OutputStream out, String lineEnd) {
    this.out = out;
    this.lineEnd = lineEnd;
  }

  void write(SseEvent event) throws IOException {
    StringBuilder text = new StringBuilder(event.data().length() + 48);
    if (event.event() != null) {
      text.append("event: ").append(event.event()).append(lineEnd);
    }
    text.append("data: ").append(event.data()).append(lineEnd).append(lineEnd);
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
