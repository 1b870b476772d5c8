package dev.switchboard.api.provider;

/** Carries a {@link ProviderError} out of a mapper or the client. */
public final class ProviderException extends Exception {

  private final ProviderError error;

  public ProviderException(ProviderError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ProviderError error() {
    return error;
  }
}
