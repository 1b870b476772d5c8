package dev.switchboard.api.platform.mail;

import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
import java.util.logging.Logger;

/**
 * Prints e-mail to the application log instead of sending it, for installations without an SMTP
 * server: whoever runs the platform reads verification and reset links off the console. This is the
 * one mailer that logs texts; that is its purpose.
 */
public final class ConsoleMailer implements Mailer {

  private static final Logger LOG = Logger.getLogger(ConsoleMailer.class.getName());
  private static final String RULE = "-".repeat(72);

  @Override
  public void send(OutgoingMail mail) {
    LOG.info(() -> format(mail));
  }

  static String format(OutgoingMail mail) {
    return "E-mail to "
        + mail.to()
        + ": "
        + mail.subject()
        + " (not sent: no SMTP server is configured)\n"
        + RULE
        + "\n"
        + mail.text().strip()
        + "\n"
        + RULE;
  }
}
