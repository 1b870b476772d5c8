package dev.switchboard.api.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

  private final Deadlines deadlines = new Deadlines("test-deadlines", Duration.ofMillis(10));

  @AfterEach
  void close() {
    deadlines.close();
  }

  @Test
  void aDeadlineFiresOnceAfterItIsDueAndIsForgotten() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    long set = System.nanoTime();
    deadlines.after(
        Duration.ofMillis(50),
        () -> {
          runs.incrementAndGet();
          fired.countDown();
        });

    assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(System.nanoTime() - set).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    assertThat(deadlines.pending()).isZero();
    // a later deadline firing shows the sweeps went on without running the first one again
    CountDownLatch later = new CountDownLatch(1);
    deadlines.after(Duration.ofMillis(30), later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aCancelledDeadlineNeverFires() throws Exception {
    AtomicInteger cancelledRuns = new AtomicInteger();
    Deadlines.Deadline cancelled =
        deadlines.after(Duration.ofMillis(20), cancelledRuns::incrementAndGet);
    cancelled.cancel();
    CountDownLatch later = new CountDownLatch(1);
    deadlines.after(Duration.ofMillis(60), later::countDown);

    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cancelledRuns).hasValue(0);
    assertThat(deadlines.pending()).isZero();
  }

  @Test
  void aFailingActionDoesNotStopTheOthers() throws Exception {
    deadlines.after(
        Duration.ofMillis(10),
        () -> {
          throw new IllegalStateException("boom");
        });
    CountDownLatch next = new CountDownLatch(1);
    deadlines.after(Duration.ofMillis(40), next::countDown);

    assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
