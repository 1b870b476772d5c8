package dev.switchboard.webui.e2e;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quick start without an SMTP server (what {@code scripts/run} does): the verification and
 * password-reset links are printed to the console, and following them there works.
 */
@ExtendWith(SwitchboardExtension.class)
class ConsoleMailIT {

  @Test
  void withoutSmtpTheLinksArePrintedToTheConsoleAndWork(RunningSwitchboard switchboard) {
    String email = "quickstart-" + UUID.randomUUID() + "@example.test";
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.driver.get(switchboard.uri("/signup").toString());
      chromium.type("signup-name", "Quick Start");
      chromium.type("signup-email", email);
      chromium.type("signup-password", People.PASSWORD);
      chromium.visible("signup-submit").click();
      chromium.waitForText("signup-message", text -> text.contains("Check your inbox"));

      chromium.driver.get(People.printedLink(switchboard, email, "verify-email"));
      chromium.waitForText("verify-message", text -> text.contains("is verified"));

      chromium.driver.get(switchboard.uri("/forgot-password").toString());
      chromium.type("forgot-email", email);
      chromium.visible("forgot-submit").click();
      chromium.waitForText("forgot-message", text -> text.contains("If an account uses"));
      chromium.driver.get(People.printedLink(switchboard, email, "reset-password"));
      chromium.type("reset-password", "a fresh quick-start passphrase");
      chromium.visible("reset-submit").click();
      chromium.waitForText("reset-message", text -> text.contains("changed"));
    }
  }
}
