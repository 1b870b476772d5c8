package dev.switchboard.api.platform.mail;

import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.mail.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.logging.Logger;

/** Chooses the mailer: SMTP when {@code switchboard.smtp.host} is set, else the console. */
@ApplicationScoped
public class MailerProducer {

  private static final Logger LOG = Logger.getLogger(MailerProducer.class.getName());

  @Produces
  @Singleton
  Mailer mailer(SwitchboardSettings settings) {
    Optional<String> host = settings.smtpHost();
    if (host.isEmpty()) {
      LOG.info(
          "No SMTP server configured (SWITCHBOARD_SMTP_HOST): e-mails, with their links, are"
              + " printed to this log instead of being sent");
      return new ConsoleMailer();
    }
    Optional<String> user = settings.smtpUser();
    LOG.info(
        () ->
            "E-mail goes through SMTP at "
                + host.get()
                + ":"
                + settings.smtpPort()
                + user.map(name -> " as " + name).orElse(" without authentication")
                + ", from "
                + settings.smtpFrom());
    return new SmtpMailer(
        host.get(),
        settings.smtpPort(),
        user.orElse(null),
        settings.smtpPassword().orElse(null),
        settings.smtpFrom());
  }
}
