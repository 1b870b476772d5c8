package dev.switchboard.simulator;

import java.io.IOException;

/**
 * Thrown out of the HTTP handler to make the JDK server close the socket without finishing the
 * response. The JDK server reacts to any IOException escaping a handler by closing the connection,
 * and that is the closest thing to a reset (or an abrupt mid-stream cut) that {@code
 * com.sun.net.httpserver} offers.
 */
final class ConnectionDrop extends IOException {
  ConnectionDrop(String reason) {
    super(reason);
  }

  /** Control flow, not a failure: skip the stack trace. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
