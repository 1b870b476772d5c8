package dev.switchboard.simulator;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every deliberate wait (delays, stalls) parks on this latch instead of sleeping, so {@code
 * close()} wakes them all at once and no waiting thread burns CPU.
 */
final class ShutdownSignal {
  private final CountDownLatch closed = new CountDownLatch(1);

  void fire() {
    closed.countDown();
  }

  boolean fired() {
    return closed.getCount() == 0;
  }

  /**
   * Waits {@code millis} (if positive); aborts the exchange when the simulator closes meanwhile.
   */
  void pause(Integer millis) throws ConnectionDrop {
    if (millis == null || millis <= 0) {
      return;
    }
    if (await(millis)) {
      throw new ConnectionDrop("simulator closed");
    }
  }

  /** Holds until the simulator closes or {@code millis} pass; returns either way. */
  void hold(long millis) {
    await(millis);
  }

  private boolean await(long millis) {
    try {
      return closed.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
