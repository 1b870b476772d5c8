package dev.switchboard.api.sso;

/** Single sign-on cannot be used now: not configured, or the provider cannot be reached. */
public class ProviderUnavailableException extends Exception {

  public ProviderUnavailableException(String message) {
    super(message, null, false, false);
  }
}
