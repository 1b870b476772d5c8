package dev.switchboard.domain.routing.health;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One endpoint's recent traffic in minute buckets: successes and failures for a day, and for the
 * last 30 minutes histograms of latency, time to first token and throughput. A window of {@code n}
 * minutes is the current minute and the {@code n-1} before it.
 */
final class EndpointStats {

  static final int DAY_MINUTES = 24 * 60;
  static final int DETAIL_MINUTES = 30;

  /** Milliseconds, 1 ms to 10 minutes, 20% apart. */
  static final GeometricBuckets MILLIS = new GeometricBuckets(1, 1.2, 600_000);

  /** Output tokens a second, 0.1 to 100,000, 20% apart. */
  static final GeometricBuckets TOKENS_PER_SECOND = new GeometricBuckets(0.1, 1.2, 100_000);

  private static final int OK = 0;
  private static final int FAILED = 1;
  private static final int LATENCY = 0;
  private static final int FIRST_TOKEN = MILLIS.count();
  private static final int THROUGHPUT = 2 * MILLIS.count();
  private static final int DETAIL_WIDTH = THROUGHPUT + TOKENS_PER_SECOND.count();

  private final Clock clock;
  private final MinuteRing outcomes = new MinuteRing(DAY_MINUTES, 2);
  private final MinuteRing details = new MinuteRing(DETAIL_MINUTES, DETAIL_WIDTH);

  EndpointStats(Clock clock) {
    this.clock = clock;
  }

  void success(long latencyMillis, long firstTokenMillis, double tokensPerSecond) {
    long minute = minute();
    count(minute, OK);
    int row = details.row(minute);
    if (row < 0) {
      return;
    }
    AtomicLongArray values = details.values();
    MILLIS.add(values, row + LATENCY, latencyMillis);
    if (firstTokenMillis >= 0) {
      MILLIS.add(values, row + FIRST_TOKEN, firstTokenMillis);
    }
    if (tokensPerSecond >= 0) {
      TOKENS_PER_SECOND.add(values, row + THROUGHPUT, tokensPerSecond);
    }
  }

  void failure() {
    count(minute(), FAILED);
  }

  private void count(long minute, int column) {
    int row = outcomes.row(minute);
    if (row >= 0) {
      outcomes.values().incrementAndGet(row + column);
    }
  }

  EndpointHealthReport report(BreakerState breaker) {
    long minute = minute();
    long[] last30 = outcomes.sum(minute, DETAIL_MINUTES);
    long[] detail = details.sum(minute, DETAIL_MINUTES);
    return new EndpointHealthReport(
        uptime(outcomes.sum(minute, 5)),
        uptime(last30),
        uptime(outcomes.sum(minute, DAY_MINUTES)),
        last30[OK] + last30[FAILED],
        percentiles(MILLIS, detail, LATENCY, false),
        percentiles(MILLIS, detail, FIRST_TOKEN, false),
        percentiles(TOKENS_PER_SECOND, detail, THROUGHPUT, true),
        breaker);
  }

  long minute() {
    return Math.floorDiv(clock.millis(), 60_000L);
  }

  private static Double uptime(long[] counts) {
    long total = counts[OK] + counts[FAILED];
    return total == 0 ? null : 100.0 * counts[OK] / total;
  }

  /** Null when the histogram is empty; {@code fastestFirst} reads the low end (throughput). */
  private static Percentiles percentiles(
      GeometricBuckets buckets, long[] counts, int offset, boolean fastestFirst) {
    double p50 = buckets.quantile(counts, offset, 0.5);
    if (Double.isNaN(p50)) {
      return null;
    }
    if (fastestFirst) {
      return new Percentiles(
          p50,
          buckets.quantile(counts, offset, 0.25),
          buckets.quantile(counts, offset, 0.10),
          buckets.quantile(counts, offset, 0.01));
    }
    return new Percentiles(
        p50,
        buckets.quantile(counts, offset, 0.75),
        buckets.quantile(counts, offset, 0.90),
        buckets.quantile(counts, offset, 0.99));
  }
}
