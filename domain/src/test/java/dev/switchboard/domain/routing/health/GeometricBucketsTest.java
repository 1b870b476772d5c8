package dev.switchboard.domain.routing.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class GeometricBucketsTest {

  private final GeometricBuckets buckets = new GeometricBuckets(1, 1.2, 600_000);

  private long[] histogramOf(double... values) {
    AtomicLongArray counts = new AtomicLongArray(buckets.count());
    for (double value : values) {
      buckets.add(counts, 0, value);
    }
    long[] plain = new long[buckets.count()];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = counts.get(i);
    }
    return plain;
  }

  @Test
  void aValueFallsInTheBucketWhoseUpperBoundIsTheFirstAtOrAboveIt() {
    assertThat(buckets.index(0)).isZero();
    assertThat(buckets.index(1)).isZero();
    assertThat(buckets.index(1.2)).isEqualTo(1);
    assertThat(buckets.index(1.21)).isEqualTo(2);
    assertThat(buckets.index(10_000_000)).as("above the range").isEqualTo(buckets.count() - 1);
  }

  @Test
  void percentilesAreWithinTheBucketWidthOfTheExactValue() {
    double[] values = new double[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 + 10 * i; // 100 … 1090 ms
    }
    long[] counts = histogramOf(values);

    assertThat(buckets.quantile(counts, 0, 0.5)).isCloseTo(590, within(590 * 0.2));
    assertThat(buckets.quantile(counts, 0, 0.9)).isCloseTo(990, within(990 * 0.2));
    assertThat(buckets.quantile(counts, 0, 0.99)).isCloseTo(1080, within(1080 * 0.2));
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    long[] counts = histogramOf(250);

    assertThat(buckets.quantile(counts, 0, 0.01)).isCloseTo(250, within(250 * 0.2));
    assertThat(buckets.quantile(counts, 0, 0.99)).isCloseTo(250, within(250 * 0.2));
  }

  @Test
  void anEmptyHistogramHasNoPercentile() {
    assertThat(buckets.quantile(new long[buckets.count()], 0, 0.5)).isNaN();
  }
}
