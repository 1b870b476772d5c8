package dev.switchboard.api.provider;

/**
 * A running provider stream, which the caller can cancel (client gone): the connection is closed.
 */
public interface StreamHandle {

  void cancel();
}
