package dev.switchboard.api.platform.mail;

/**
 * An e-mail could not be handed to the SMTP server. The message names the recipient and the server,
 * never the text: the texts carry single-use links.
 */
public final class MailDeliveryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MailDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
