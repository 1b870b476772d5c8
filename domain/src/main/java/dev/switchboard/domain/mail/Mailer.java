package dev.switchboard.domain.mail;

/**
 * Sends e-mail. The texts carry single-use links, so implementations never log them, except the
 * console mailer, whose purpose is to print them when no SMTP server is configured.
 */
public interface Mailer {
  void send(OutgoingMail mail);
}
