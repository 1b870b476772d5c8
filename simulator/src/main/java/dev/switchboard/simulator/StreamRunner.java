package dev.switchboard.simulator;

import java.io.IOException;
import java.util.List;

/**
 * Plays a format's event list onto the wire, applying the streaming faults. Fault positions count
 * CONTENT events: "after N" triggers once N content events were written (N larger than the stream
 * means "after the last one", i.e. before the tail), and "after 0" triggers before the first
 * content or tail event.
 */
final class StreamRunner {
  static final long MAX_STALL_MILLIS = 10 * 60 * 1000L;

  private final ShutdownSignal shutdown;

  StreamRunner(ShutdownSignal shutdown) {
    this.shutdown = shutdown;
  }

  void run(List<SseEvent> events, FaultSpec faults, WireFormat format, SseWriter out)
      throws IOException {
    int total = 0;
    for (SseEvent e : events) {
      if (e.kind() == SseEvent.Kind.CONTENT) {
        total++;
      }
    }
    Triggers triggers = new Triggers(faults, total);
    int written = 0;
    boolean started = false;
    for (SseEvent event : events) {
      if (faults.isNoDone() && format.isEndMarker(event)) {
        continue;
      }
      if (!started && event.kind() != SseEvent.Kind.FRAME) {
        started = true;
        if (applyTriggers(0, triggers, format, out)) {
          return;
        }
        shutdown.pause(faults.ttftMs());
      } else if (event.kind() == SseEvent.Kind.CONTENT) {
        shutdown.pause(faults.chunkDelayMs());
      }
      out.write(event);
      if (event.kind() == SseEvent.Kind.CONTENT) {
        written++;
        if (applyTriggers(written, triggers, format, out)) {
          return;
        }
      }
    }
  }

  /**
   * @return true when the stream has been ended (by an in-band error, or cleanly without its tail)
   */
  private boolean applyTriggers(int written, Triggers t, WireFormat format, SseWriter out)
      throws IOException {
    if (written == t.malformed) {
      out.write(format.malformedEvent());
    }
    if (written == t.error) {
      out.write(format.inBandError());
      return true;
    }
    if (written == t.end) {
      return true;
    }
    if (written == t.cut) {
      throw new ConnectionDrop("cut after " + written + " content chunks");
    }
    if (written == t.stall) {
      // Parks without CPU; client disconnects are not observable without writing, so the hold ends
      // on
      // close() or after the cap, and then the socket is dropped rather than the stream finished.
      shutdown.hold(MAX_STALL_MILLIS);
      throw new ConnectionDrop("stall ended");
    }
    return false;
  }

  private static final class Triggers {
    final int malformed;
    final int error;
    final int end;
    final int cut;
    final int stall;

    Triggers(FaultSpec f, int total) {
      malformed = position(f.malformedAfter(), total);
      error = position(f.errorAfter(), total);
      end = position(f.endAfter(), total);
      cut = position(f.cutAfter(), total);
      stall = position(f.stallAfter(), total);
    }

    private static int position(Integer after, int total) {
      return after == null ? -1 : Math.min(after, total);
    }
  }
}
