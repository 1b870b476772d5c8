package dev.switchboard.domain.routing.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final BreakerPolicy POLICY =
      new BreakerPolicy(3, 0.5, 10, Duration.ofMinutes(1), Duration.ofSeconds(30), 2);

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final CircuitBreaker breaker = new CircuitBreaker(POLICY, clock);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      breaker.onFailure();
    }
  }

  private void succeed(int times) {
    for (int i = 0; i < times; i++) {
      breaker.onSuccess();
    }
  }

  @Test
  void opensAfterTheConfiguredFailuresInARowAndRefusesTraffic() {
    fail(2);
    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.allows()).isTrue();

    fail(1);

    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker.allows()).isFalse();
  }

  @Test
  void aSuccessBreaksTheRunOfFailures() {
    fail(2);
    succeed(1);
    fail(2);

    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void opensOnTheFailureRateOnceTheWindowHasEnoughRequests() {
    // alternating: never three in a row, but half of ten
    for (int i = 0; i < 4; i++) {
      succeed(1);
      fail(1);
    }
    succeed(1);
    assertThat(breaker.state()).as("9 requests: below the minimum").isEqualTo(BreakerState.CLOSED);

    fail(1);

    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void theRateWindowForgetsFailuresOfAnEarlierWindow() {
    for (int i = 0; i < 4; i++) {
      succeed(1);
      fail(1);
    }
    clock.advance(Duration.ofMinutes(1));
    succeed(5);
    fail(2);
    succeed(2);
    fail(1);

    assertThat(breaker.state()).as("3 of 10 in this window").isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void staysOpenForTheCoolDownThenLetsTheConfiguredProbesThrough() {
    fail(3);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.allows()).isFalse();

    clock.advance(Duration.ofSeconds(1));

    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(breaker.allows()).isTrue();
    assertThat(breaker.allows()).isTrue();
    assertThat(breaker.allows()).as("only two probes").isFalse();
  }

  @Test
  void aSuccessfulProbeClosesTheBreakerWithAFreshCount() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.allows()).isTrue();

    succeed(1);

    assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(breaker.allows()).isTrue();
    fail(2);
    assertThat(breaker.state())
        .as("the failures before it closed no longer count")
        .isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void aFailedProbeReopensForAnotherCoolDown() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.allows()).isTrue();

    fail(1);

    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.allows()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
  }

  @Test
  void probesWhoseAnswersNeverCameAreReplacedAfterACoolDown() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.allows()).isTrue();
    assertThat(breaker.allows()).isTrue();
    assertThat(breaker.allows()).isFalse();

    clock.advance(Duration.ofSeconds(30));

    assertThat(breaker.allows()).isTrue();
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
  }

  @Test
  void aSuccessOfARequestSentBeforeItOpenedDoesNotCloseIt() {
    fail(3);

    succeed(1);

    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
  }
}
