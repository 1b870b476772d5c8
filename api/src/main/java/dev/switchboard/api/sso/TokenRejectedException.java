package dev.switchboard.api.sso;

/** A token that does not verify; the message says why, and never holds the token. */
public class TokenRejectedException extends Exception {

  public TokenRejectedException(String message) {
    super(message, null, false, false);
  }
}
