package dev.switchboard.domain.byok;

/**
 * The master key is unusable as configured (not base64 of 32 bytes, its file unreadable) or does
 * not open what the database holds: the platform refuses to start rather than lose provider keys.
 */
public class MasterKeyException extends IllegalStateException {

  public MasterKeyException(String message) {
    super(message);
  }

  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
