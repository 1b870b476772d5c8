package dev.switchboard.api.provider;

import java.util.List;

/**
 * Receives one provider stream, on the HTTP client's threads, one call at a time and in order.
 * Returning from {@link #onEvents} asks for more: a slow client slows the upstream read instead of
 * filling memory.
 */
public interface StreamListener {

  /** Decoded events from one read. */
  void onEvents(List<StreamEvent> events);

  /**
   * The stream failed before it ended: an error status, a cut connection, a stall, or unreadable
   * data.
   */
  void onFailure(ProviderError error);

  /** The upstream connection ended; {@link StreamEvent.Done} may or may not have come before. */
  void onEnd();
}
