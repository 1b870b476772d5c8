package dev.switchboard.api.provider;

import java.util.List;

/**
 * Turns one provider stream's server-sent events into {@link StreamEvent}s. Stateful (a stream's
 * events depend on earlier ones), one instance per stream, called from one thread at a time.
 */
public interface StreamDecoder {

  /**
   * Decodes one event.
   *
   * @throws ProviderException when the event cannot be read (kind {@code MALFORMED_RESPONSE})
   */
  List<StreamEvent> decode(SseEvent event) throws ProviderException;
}
