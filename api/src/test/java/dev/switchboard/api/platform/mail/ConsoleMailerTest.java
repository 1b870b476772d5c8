package dev.switchboard.api.platform.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.mail.OutgoingMail;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ConsoleMailerTest {

  @Test
  void prints_recipient_subject_and_text_at_info() {
    Logger logger = Logger.getLogger(ConsoleMailer.class.getName());
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      new ConsoleMailer()
          .send(
              new OutgoingMail(
                  "alice@example.test",
                  "Verify your e-mail",
                  "Open https://switchboard.test/verify?token=abc\n"));
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(records).hasSize(1);
    assertThat(records.get(0).getLevel()).isEqualTo(Level.INFO);
    assertThat(records.get(0).getMessage())
        .startsWith("E-mail to alice@example.test: Verify your e-mail")
        .contains("\nOpen https://switchboard.test/verify?token=abc\n");
  }
}
