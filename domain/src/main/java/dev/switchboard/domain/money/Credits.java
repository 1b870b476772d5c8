package dev.switchboard.domain.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of money in nano-USD (1 USD = 1,000,000,000 nanos). Never a {@code double}: amounts are
 * added and compared exactly, and converted to decimal USD only at the edges.
 */
public record Credits(long nanos) implements Comparable<Credits> {

  public static final long NANOS_PER_USD = 1_000_000_000L;
  public static final Credits ZERO = new Credits(0);
  private static final int USD_SCALE = 9;

  public static Credits ofNanos(long nanos) {
    return new Credits(nanos);
  }

  /**
   * Parses a decimal USD amount such as {@code "10.00"}; more than nine decimal places cannot be
   * held exactly and is refused rather than rounded.
   */
  public static Credits ofUsd(String decimal) {
    BigDecimal usd;
    try {
      usd = new BigDecimal(decimal.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal amount: " + decimal, e);
    }
    return ofUsd(usd);
  }

  public static Credits ofUsd(BigDecimal usd) {
    if (usd.stripTrailingZeros().scale() > USD_SCALE) {
      throw new IllegalArgumentException("more precise than a nano-dollar: " + usd.toPlainString());
    }
    try {
      return new Credits(usd.movePointRight(USD_SCALE).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("amount out of range: " + usd.toPlainString(), e);
    }
  }

  public Credits plus(Credits other) {
    return new Credits(Math.addExact(nanos, other.nanos));
  }

  public Credits minus(Credits other) {
    return new Credits(Math.subtractExact(nanos, other.nanos));
  }

  public Credits negate() {
    return new Credits(Math.negateExact(nanos));
  }

  /** This amount, or zero when it is negative: what is left to spend. */
  public Credits max0() {
    return nanos < 0 ? ZERO : this;
  }

  public boolean isNegative() {
    return nanos < 0;
  }

  public boolean isZero() {
    return nanos == 0;
  }

  public boolean isPositive() {
    return nanos > 0;
  }

  /** Exact USD value, e.g. for a JSON number: {@code 0.000123456}. */
  public BigDecimal toUsd() {
    return BigDecimal.valueOf(nanos, USD_SCALE).stripTrailingZeros();
  }

  /** USD with at least two decimals, as shown to people: {@code "10.00"}, {@code "0.000123456"}. */
  public String toUsdString() {
    BigDecimal usd = toUsd();
    return usd.scale() < 2
        ? usd.setScale(2, RoundingMode.UNNECESSARY).toPlainString()
        : usd.toPlainString();
  }

  @Override
  public int compareTo(Credits other) {
    return Long.compare(nanos, other.nanos);
  }

  @Override
  public String toString() {
    return "$" + toUsdString();
  }
}
