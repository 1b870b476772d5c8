package dev.switchboard.domain.routing.health;

/**
 * What an endpoint's recent traffic says about it. Uptimes are percentages (0–100) of the attempts
 * that did not fail for the endpoint's own reasons, null when the window saw no such attempt;
 * latency (start of the attempt to its end) and time to first token are in milliseconds, throughput
 * in output tokens a second, each over the successes of the last 30 minutes and null when there
 * were none.
 */
public record EndpointHealthReport(
    Double uptimeLast5m,
    Double uptimeLast30m,
    Double uptimeLast1d,
    long attemptsLast30m,
    Percentiles latencyMillisLast30m,
    Percentiles firstTokenMillisLast30m,
    Percentiles throughputLast30m,
    BreakerState breaker) {

  /** An endpoint that has seen no traffic. */
  public static EndpointHealthReport unknown(BreakerState breaker) {
    return new EndpointHealthReport(null, null, null, 0, null, null, null, breaker);
  }

  EndpointHealthReport withBreaker(BreakerState state) {
    return state == breaker
        ? this
        : new EndpointHealthReport(
            uptimeLast5m,
            uptimeLast30m,
            uptimeLast1d,
            attemptsLast30m,
            latencyMillisLast30m,
            firstTokenMillisLast30m,
            throughputLast30m,
            state);
  }
}
