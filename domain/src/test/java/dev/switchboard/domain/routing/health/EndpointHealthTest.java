package dev.switchboard.domain.routing.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.domain.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointHealthTest {

  private static final EndpointId ALPHA = new EndpointId("acme/fast-1", "alpha");
  private static final EndpointId BETA = new EndpointId("acme/fast-1", "beta");

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:30Z"));
  private final EndpointHealth health = new EndpointHealth(clock, BreakerPolicy.DEFAULT);

  private void succeed(EndpointId id, int times) {
    for (int i = 0; i < times; i++) {
      health.succeeded(id, 400, 100, 300, 30);
    }
  }

  private void fail(EndpointId id, int times) {
    for (int i = 0; i < times; i++) {
      health.failed(id);
    }
  }

  @Test
  void anEndpointWithoutTrafficHasNoFiguresAndAClosedBreaker() {
    EndpointHealthReport report = health.report(ALPHA);

    assertThat(report.uptimeLast30m()).isNull();
    assertThat(report.latencyMillisLast30m()).isNull();
    assertThat(report.throughputLast30m()).isNull();
    assertThat(report.breaker()).isEqualTo(BreakerState.CLOSED);
    assertThat(health.allows(ALPHA)).isTrue();
  }

  @Test
  void uptimeIsTheShareOfSuccessesPerEndpoint() {
    succeed(ALPHA, 3);
    fail(ALPHA, 1);
    succeed(BETA, 2);

    assertThat(health.report(ALPHA).uptimeLast5m()).isEqualTo(75.0);
    assertThat(health.report(ALPHA).uptimeLast30m()).isEqualTo(75.0);
    assertThat(health.report(ALPHA).uptimeLast1d()).isEqualTo(75.0);
    assertThat(health.report(ALPHA).attemptsLast30m()).isEqualTo(4);
    assertThat(health.report(BETA).uptimeLast30m()).isEqualTo(100.0);
  }

  @Test
  void eachWindowForgetsWhatIsOlderThanItsLength() {
    fail(ALPHA, 1);
    clock.advance(Duration.ofMinutes(5));
    succeed(ALPHA, 1);

    EndpointHealthReport later = health.report(ALPHA);
    assertThat(later.uptimeLast5m()).as("the failure is 5 minutes old").isEqualTo(100.0);
    assertThat(later.uptimeLast30m()).isEqualTo(50.0);

    clock.advance(Duration.ofMinutes(30));
    EndpointHealthReport muchLater = health.report(ALPHA);
    assertThat(muchLater.uptimeLast30m()).isNull();
    assertThat(muchLater.latencyMillisLast30m()).isNull();
    assertThat(muchLater.uptimeLast1d()).isEqualTo(50.0);

    clock.advance(Duration.ofDays(1));
    assertThat(health.report(ALPHA).uptimeLast1d()).isNull();
  }

  @Test
  void aMinuteSlotReusedADayLaterStartsFromZero() {
    fail(ALPHA, 4);
    clock.advance(Duration.ofDays(1));

    succeed(ALPHA, 1);

    assertThat(health.report(ALPHA).uptimeLast1d()).isEqualTo(100.0);
  }

  @Test
  void latencyFirstTokenAndThroughputPercentilesComeFromSuccesses() {
    for (int i = 1; i <= 100; i++) {
      // latency 1..100 × 10 ms, first token a tenth of it, 50 tokens over the rest
      long latency = 10L * i;
      long firstToken = i;
      health.succeeded(ALPHA, latency, firstToken, latency - firstToken, 50);
    }
    fail(ALPHA, 1);

    EndpointHealthReport report = health.report(ALPHA);

    assertThat(report.latencyMillisLast30m().p50()).isCloseTo(500, within(100.0));
    assertThat(report.latencyMillisLast30m().p99()).isCloseTo(990, within(200.0));
    assertThat(report.firstTokenMillisLast30m().p50()).isCloseTo(50, within(10.0));
    // 50 tokens over 9..900 ms: the fastest answers reach ~5,500 tokens/s, the slowest ~56
    Percentiles throughput = report.throughputLast30m();
    assertThat(throughput.p50()).isCloseTo(50_000.0 / 450, within(25.0));
    assertThat(throughput.p99()).as("the low end").isCloseTo(50_000.0 / 891, within(12.0));
    assertThat(throughput.p99()).isLessThan(throughput.p90()).isLessThan(throughput.p50());
  }

  @Test
  void aNonStreamedAnswerHasItsThroughputOverTheWholeLatency() {
    health.succeeded(ALPHA, 1000, 1000, 0, 100);

    assertThat(health.report(ALPHA).throughputLast30m().p50()).isCloseTo(100, within(20.0));
  }

  @Test
  void theBreakerOpensAfterConsecutiveFailuresAndRoutingCanReadIt() {
    fail(ALPHA, BreakerPolicy.DEFAULT.consecutiveFailures());

    assertThat(health.state(ALPHA)).isEqualTo(BreakerState.OPEN);
    assertThat(health.allows(ALPHA)).isFalse();
    assertThat(health.report(ALPHA).breaker()).isEqualTo(BreakerState.OPEN);
    assertThat(health.allows(BETA)).isTrue();

    clock.advance(BreakerPolicy.DEFAULT.coolDown());
    assertThat(health.report(ALPHA).breaker())
        .as("the cached figures carry the breaker's current state")
        .isEqualTo(BreakerState.HALF_OPEN);
  }

  @Test
  void concurrentRecordingLosesNoAttempt() throws InterruptedException {
    int threads = 8;
    int each = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  if (index == 0 && i % 10 == 0) {
                    health.failed(ALPHA);
                  } else {
                    health.succeeded(ALPHA, 200, 50, 150, 20);
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    }

    EndpointHealthReport report = health.report(ALPHA);
    assertThat(report.attemptsLast30m()).isEqualTo((long) threads * each);
    assertThat(report.uptimeLast30m())
        .isEqualTo(100.0 * (threads * each - each / 10) / (threads * each));
  }
}
