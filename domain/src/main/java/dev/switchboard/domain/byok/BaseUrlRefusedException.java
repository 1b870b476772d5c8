package dev.switchboard.domain.byok;

/** A base URL an organization may not point the platform at; the message says why. */
public class BaseUrlRefusedException extends IllegalArgumentException {

  public BaseUrlRefusedException(String message) {
    super(message);
  }
}
