package dev.switchboard.api.platform.mail;

import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends plain-text UTF-8 e-mail through one SMTP server with Jakarta Mail (Payara provides Angus
 * Mail). Upgrades the connection with STARTTLS when the server offers it, authenticates only when a
 * user is configured, and gives up on a silent server after {@link #TIMEOUT}.
 */
public final class SmtpMailer implements Mailer {

  /** Connection, read and write timeout. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String server;
  private final Session session;
  private final InternetAddress from;

  /**
   * @param user the SMTP user, or {@code null} (or blank) to send without authentication
   * @param password the SMTP user's password; ignored without a user
   * @param from the sender, with or without a display name ({@code Switchboard <no-reply@host>})
   * @throws IllegalArgumentException if {@code from} is not an e-mail address
   */
  public SmtpMailer(String host, int port, String user, String password, String from) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("SMTP port out of range: " + port);
    }
    this.server = host + ":" + port;
    try {
      this.from = new InternetAddress(Objects.requireNonNull(from, "from"), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("not an e-mail address: " + from, e);
    }
    String timeout = Long.toString(TIMEOUT.toMillis());
    Properties properties = new Properties();
    properties.setProperty("mail.transport.protocol", "smtp");
    properties.setProperty("mail.smtp.host", host);
    properties.setProperty("mail.smtp.port", Integer.toString(port));
    properties.setProperty("mail.smtp.starttls.enable", "true");
    properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    properties.setProperty("mail.smtp.connectiontimeout", timeout);
    properties.setProperty("mail.smtp.timeout", timeout);
    properties.setProperty("mail.smtp.writetimeout", timeout);
    // The Message-ID's domain: without it Jakarta Mail looks up the local host name.
    properties.setProperty("mail.from", this.from.getAddress());
    Authenticator authenticator = null;
    if (user != null && !user.isBlank()) {
      properties.setProperty("mail.smtp.auth", "true");
      PasswordAuthentication credentials =
          new PasswordAuthentication(user, password == null ? "" : password);
      authenticator =
          new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
              return credentials;
            }
          };
    }
    this.session = Session.getInstance(properties, authenticator);
  }

  @Override
  public void send(OutgoingMail mail) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
      message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
      message.setText(mail.text(), StandardCharsets.UTF_8.name());
      message.setSentDate(new Date());
      Transport.send(message);
    } catch (MessagingException e) {
      // Jakarta Mail's messages name the server, the address or the server's reply, not the text.
      throw new MailDeliveryException(
          "could not send e-mail to " + mail.to() + " through " + server + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return "SmtpMailer[" + server + "]";
  }
}
