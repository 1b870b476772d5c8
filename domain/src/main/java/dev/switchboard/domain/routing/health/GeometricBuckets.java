package dev.switchboard.domain.routing.health;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bounds of a fixed histogram whose buckets grow by a constant factor, so that a percentile
 * read from it is off by at most that factor's width whatever the scale. Bucket {@code i} holds
 * values in {@code (bound(i-1), bound(i)]}; values above the last bound are counted in the last
 * bucket.
 */
final class GeometricBuckets {

  private final double first;
  private final double logFactor;
  private final double[] bounds;

  /**
   * Buckets from {@code first} up to at least {@code last}, each {@code factor} times the one
   * before.
   */
  GeometricBuckets(double first, double factor, double last) {
    this.first = first;
    this.logFactor = Math.log(factor);
    int count = (int) Math.ceil(Math.log(last / first) / logFactor) + 1;
    bounds = new double[count];
    for (int i = 0; i < count; i++) {
      bounds[i] = first * Math.pow(factor, i);
    }
  }

  int count() {
    return bounds.length;
  }

  /** The bucket a value is counted in. */
  int index(double value) {
    if (!(value > first)) {
      return 0;
    }
    int index = (int) Math.ceil(Math.log(value / first) / logFactor - 1e-9);
    return Math.min(index, bounds.length - 1);
  }

  /**
   * The {@code quantile} (0–1) of the counts in {@code counts[offset … offset+count()-1]},
   * interpolated linearly inside the bucket it falls in; NaN when they hold nothing.
   */
  double quantile(long[] counts, int offset, double quantile) {
    long total = 0;
    for (int i = 0; i < bounds.length; i++) {
      total += counts[offset + i];
    }
    if (total == 0) {
      return Double.NaN;
    }
    double rank = Math.max(1, Math.ceil(quantile * total));
    long before = 0;
    for (int i = 0; i < bounds.length; i++) {
      long inBucket = counts[offset + i];
      if (inBucket > 0 && before + inBucket >= rank) {
        double lower = i == 0 ? 0 : bounds[i - 1];
        double upper = bounds[i];
        return lower + (upper - lower) * ((rank - before) / inBucket);
      }
      before += inBucket;
    }
    return bounds[bounds.length - 1];
  }

  /** Counts {@code value} in the histogram at {@code offset} of {@code counts}. */
  void add(AtomicLongArray counts, int offset, double value) {
    counts.incrementAndGet(offset + index(value));
  }
}
