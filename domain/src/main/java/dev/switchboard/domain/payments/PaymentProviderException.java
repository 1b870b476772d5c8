package dev.switchboard.domain.payments;

/**
 * The payment provider could not be reached or refused a call; the message is safe to show (it
 * holds no key or secret).
 */
public class PaymentProviderException extends RuntimeException {

  public PaymentProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
