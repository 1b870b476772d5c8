package dev.switchboard.simulator;

/**
 * One server-sent event. {@code kind} tells the {@link StreamRunner} where faults may strike: after
 * a number of CONTENT events, and never inside the FRAME events that precede content or the TAIL
 * (finish, usage, done) events.
 *
 * @param event the SSE {@code event:} name, or null when the format only uses {@code data:} lines
 */
record SseEvent(String event, String data, Kind kind) {

  enum Kind {
    /** Structure such as a role chunk or a block start: not counted, sent as soon as possible. */
    FRAME,
    /**
     * Carries generated tokens (text, thinking, tool arguments); counted by the N in the fault
     * headers.
     */
    CONTENT,
    /** Finish reason, usage, terminators: what a cut or stall withholds. */
    TAIL
  }

  static SseEvent frame(String event, String data) {
    return new SseEvent(event, data, Kind.FRAME);
  }

  static SseEvent content(String event, String data) {
    return new SseEvent(event, data, Kind.CONTENT);
  }

  static SseEvent tail(String event, String data) {
    return new SseEvent(event, data, Kind.TAIL);
  }
}
