package dev.switchboard.domain.routing.health;

import java.time.Duration;

/**
 * When an endpoint's breaker opens, how long it stays open, and how many probes it lets through
 * when half-open.
 *
 * @param consecutiveFailures failures in a row that open the breaker
 * @param failureRate share of failures (0–1) in the rate window that opens the breaker
 * @param minimumRequests requests the rate window must have seen before its rate counts
 * @param rateWindow length of the (tumbling) window the failure rate is counted over
 * @param coolDown how long the breaker stays open before letting probes through
 * @param halfOpenProbes requests let through while half-open, per cool-down
 */
public record BreakerPolicy(
    int consecutiveFailures,
    double failureRate,
    int minimumRequests,
    Duration rateWindow,
    Duration coolDown,
    int halfOpenProbes) {

  /** Five failures in a row, or half of at least 20 requests in a minute; 30 s open; 2 probes. */
  public static final BreakerPolicy DEFAULT =
      new BreakerPolicy(5, 0.5, 20, Duration.ofMinutes(1), Duration.ofSeconds(30), 2);

  /** This policy with another cool-down. */
  public BreakerPolicy withCoolDown(Duration coolDown) {
    return new BreakerPolicy(
        consecutiveFailures, failureRate, minimumRequests, rateWindow, coolDown, halfOpenProbes);
  }

  public BreakerPolicy {
    if (consecutiveFailures < 1 || minimumRequests < 1 || halfOpenProbes < 1) {
      throw new IllegalArgumentException("breaker thresholds must be at least 1");
    }
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failure rate must be in (0, 1]");
    }
    if (rateWindow.isNegative() || rateWindow.isZero() || coolDown.isNegative()) {
      throw new IllegalArgumentException("breaker durations must be positive");
    }
  }
}
