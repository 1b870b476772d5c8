package dev.switchboard.api.inference;

import java.nio.charset.StandardCharsets;

/** The one SSE writer: frames events and comments as bytes for the client. */
public final class SseFrames {

  public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] PROCESSING =
      ": SWITCHBOARD PROCESSING\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {}

  /** {@code data: <json>} — JSON never holds a raw newline, so one data line always suffices. */
  public static byte[] data(byte[] json) {
    return concat(DATA, json, END);
  }

  /**
   * {@code event: <name>} then {@code data: <json>}, as the Anthropic Messages stream is framed.
   */
  public static byte[] event(String name, byte[] json) {
    byte[] header = (name + "\n").getBytes(StandardCharsets.US_ASCII);
    return concat(EVENT, header, DATA, json, END);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] frame = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, frame, at, part.length);
      at += part.length;
    }
    return frame;
  }
}
