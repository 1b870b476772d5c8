package dev.switchboard.domain.byok;

/**
 * A sealed secret does not open: its master key is not configured, or its ciphertext, data key or
 * associated data (organization and provider) are not the ones it was sealed with.
 */
public class SecretUnreadableException extends RuntimeException {

  public SecretUnreadableException(String message) {
    super(message);
  }

  public SecretUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}
