package dev.switchboard.domain.payments;

/**
 * The payment provider could not be reached or refused a call; the message is safe to show (it
 * holds no key or secret).
 */
public class PaymentProviderException extends RuntimeException {

  private final boolean refused;

  /** A failure whose outcome is unknown: the provider may or may not have done it. */
  public PaymentProviderException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param refused whether the provider answered that it will not do it (a definite outcome),
   *     rather than failing in a way that leaves the outcome unknown
   */
  public PaymentProviderException(String message, Throwable cause, boolean refused) {
    super(message, cause);
    this.refused = refused;
  }

  /** Whether the provider definitely did not do it (it answered with a refusal). */
  public boolean refused() {
    return refused;
  }
}
