package dev.switchboard.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Orders shutdown across class loaders: the application, stopping in Payara's shutdown hook, writes
 * its pending settlements and then counts this latch down; the launcher's hook waits for it before
 * stopping the embedded database, so nothing is lost on a clean shutdown. The latch lives in the
 * system properties, the one place both class loaders share (it is a JDK class, loaded once).
 */
final class ApplicationStopped {

  /** The key the application looks up; keep in sync with the web module's lifecycle listener. */
  static final String KEY = "switchboard.application.stopped";

  private ApplicationStopped() {}

  static void install() {
    System.getProperties().put(KEY, new CountDownLatch(1));
  }

  static void signal() {
    if (System.getProperties().get(KEY) instanceof CountDownLatch latch) {
      latch.countDown();
    }
  }

  /** True when the application confirmed it stopped within the timeout. */
  static boolean await(Duration timeout) {
    if (System.getProperties().get(KEY) instanceof CountDownLatch latch) {
      try {
        return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return false;
  }
}
