package dev.switchboard.simulator;

/** A client error (HTTP 400) whose message is rendered in the provider's native error shape. */
final class InvalidRequestException extends Exception {
  InvalidRequestException(String message) {
    super(message, null, false, false);
  }
}
