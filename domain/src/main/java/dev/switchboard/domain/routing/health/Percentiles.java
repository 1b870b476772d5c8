package dev.switchboard.domain.routing.health;

/**
 * Four points of a distribution, in the unit of what it measures. For latencies {@code p90} is the
 * time 90% of answers stayed within; for throughput it is the speed 90% of answers reached at least
 * (so it falls as the percentile rises, as OpenRouter reports it).
 */
public record Percentiles(double p50, double p75, double p90, double p99) {}
