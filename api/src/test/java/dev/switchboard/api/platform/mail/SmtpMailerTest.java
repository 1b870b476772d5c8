package dev.switchboard.api.platform.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.switchboard.domain.mail.OutgoingMail;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against GreenMail on a free loopback port; nothing here connects anywhere but 127.0.0.1. */
class SmtpMailerTest {

  private static final String LOOPBACK = "127.0.0.1";
  private static final String FROM = "Switchboard <no-reply@switchboard.test>";
  private static final String TEXT =
      "Grüß dich, Zoë!\n\nVerify your address: https://switchboard.test/verify?token=s3cr3t-t0k3n\n";
  private static final OutgoingMail MAIL =
      new OutgoingMail("alice@example.test", "Verify your e-mail — Switchboard", TEXT);

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(new ServerSetup(0, LOOPBACK, ServerSetup.PROTOCOL_SMTP))
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", "right-password"));

  private static int port() {
    return SMTP.getSmtp().getPort();
  }

  @Test
  void delivers_a_utf8_plain_text_mail_to_the_recipient() throws Exception {
    new SmtpMailer(LOOPBACK, port(), null, null, FROM).send(MAIL);

    assertThat(SMTP.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = SMTP.getReceivedMessages()[0];
    assertThat(received.getRecipients(Message.RecipientType.TO))
        .containsExactly(new InternetAddress("alice@example.test"));
    InternetAddress from = (InternetAddress) received.getFrom()[0];
    assertThat(from.getAddress()).isEqualTo("no-reply@switchboard.test");
    assertThat(from.getPersonal()).isEqualTo("Switchboard");
    assertThat(received.getSubject()).isEqualTo("Verify your e-mail — Switchboard");
    assertThat(received.getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
    // SMTP's end of data (CRLF . CRLF) absorbs the text's last line break.
    assertThat(((String) received.getContent()).replace("\r\n", "\n"))
        .isEqualTo(TEXT.stripTrailing());
  }

  @Test
  void authenticates_when_a_user_is_configured() throws Exception {
    new SmtpMailer(LOOPBACK, port(), "mailer", "right-password", FROM).send(MAIL);

    assertThat(SMTP.waitForIncomingEmail(5_000, 1)).isTrue();
    assertThat(SMTP.getReceivedMessages()[0].getSubject()).isEqualTo(MAIL.subject());
  }

  @Test
  void a_wrong_password_is_refused_without_the_text_or_password_in_the_message() {
    SmtpMailer mailer = new SmtpMailer(LOOPBACK, port(), "mailer", "wrong-password", FROM);

    assertThatThrownBy(() -> mailer.send(MAIL))
        .isInstanceOf(MailDeliveryException.class)
        .hasMessageNotContaining("s3cr3t-t0k3n")
        .hasMessageNotContaining("wrong-password");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void a_server_that_is_not_listening_fails_without_the_text_in_the_message() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      closedPort = socket.getLocalPort();
    }
    SmtpMailer mailer = new SmtpMailer(LOOPBACK, closedPort, null, null, FROM);

    assertThatThrownBy(() -> mailer.send(MAIL))
        .isInstanceOf(MailDeliveryException.class)
        .hasMessageContaining("alice@example.test")
        .hasMessageContaining(LOOPBACK + ":" + closedPort)
        .hasMessageNotContaining("s3cr3t-t0k3n")
        .hasMessageNotContaining("Grüß");
  }

  @Test
  void an_unusable_recipient_address_is_a_delivery_failure() {
    SmtpMailer mailer = new SmtpMailer(LOOPBACK, port(), null, null, FROM);

    assertThatThrownBy(
            () -> mailer.send(new OutgoingMail("alice@example.test, bob@example.test", "Hi", TEXT)))
        .isInstanceOf(MailDeliveryException.class)
        .hasMessageNotContaining("s3cr3t-t0k3n");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void the_sender_must_be_an_address() {
    assertThatThrownBy(() -> new SmtpMailer(LOOPBACK, 587, null, null, "Switchboard"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
