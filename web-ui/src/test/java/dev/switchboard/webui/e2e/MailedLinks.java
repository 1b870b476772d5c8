package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser tests' e-mail: an SMTP server (GreenMail), the messages it received, the links in
 * them, and the sign-up that follows its verification link.
 */
final class MailedLinks {

  private MailedLinks() {}

  /** A real SMTP server in this JVM, started on a free loopback port. */
  static GreenMail startSmtpServer() throws IOException {
    GreenMail mail =
        new GreenMail(
            new ServerSetup(RunningSwitchboard.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return mail;
  }

  /** The last of {@code count} messages, once that many have arrived. */
  static MimeMessage awaitMail(GreenMail mail, int count) {
    assertThat(mail.waitForIncomingEmail(30_000, count)).as(count + " e-mails arrive").isTrue();
    MimeMessage[] messages = mail.getReceivedMessages();
    return messages[messages.length - 1];
  }

  /** The link to {@code page} (with its token) in a message. */
  static String linkIn(MimeMessage message, String page) throws Exception {
    String body = (String) message.getContent(); // decoded, whatever the transfer encoding
    Matcher link =
        Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/" + page + "\\?token=[A-Za-z0-9_-]+)")
            .matcher(body);
    assertThat(link.find()).as("a " + page + " link in: " + body).isTrue();
    return link.group(1);
  }

  /** Signs up on the page and follows the verification link of the next message. */
  static void signUpAndVerify(
      HeadlessChromium chromium,
      RunningSwitchboard switchboard,
      GreenMail mail,
      String name,
      String email,
      String password)
      throws Exception {
    int before = mail.getReceivedMessages().length;
    chromium.driver.get(switchboard.uri("/signup").toString());
    chromium.type("signup-name", name);
    chromium.type("signup-email", email);
    chromium.type("signup-password", password);
    chromium.visible("signup-submit").click();
    chromium.waitForText("signup-message", text -> text.contains("Check your inbox"));
    chromium.driver.get(linkIn(awaitMail(mail, before + 1), "verify-email"));
    chromium.waitForText("verify-message", text -> text.contains("is verified"));
  }
}
