package dev.switchboard.webui.ui.models;

import dev.switchboard.domain.money.Credits;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices as people read them. Catalog prices are nano-USD per million tokens; they are shown in USD
 * with at least two decimals and every significant digit kept ({@code "$0.15 / M"}, {@code "$0.075
 * / M"}), never rounded, so that two different prices never look the same.
 */
public final class PriceFormat {

  /** Shown where an endpoint has no such price. */
  public static final String NONE = "—";

  private PriceFormat() {}

  /** {@code 150_000_000} → {@code "$0.15 / M"}. */
  public static String perMillion(long nanosPerMillion) {
    return usd(nanosPerMillion) + " / M";
  }

  /** As {@link #perMillion(long)}, or {@link #NONE} when the endpoint does not charge for it. */
  public static String perMillion(Long nanosPerMillion) {
    return nanosPerMillion == null ? NONE : perMillion(nanosPerMillion.longValue());
  }

  /** A per-request fee, or {@link #NONE} when there is none. */
  public static String perRequest(long nanos) {
    return nanos == 0 ? NONE : usd(nanos) + " / request";
  }

  /** {@code 2_500_000_000} → {@code "$2.50"}. */
  public static String usd(long nanos) {
    return "$" + Credits.ofNanos(nanos).toUsdString();
  }

  /**
   * Nano-USD per million tokens from what a person typed as USD per million tokens; a fraction of a
   * nano-dollar is rounded half-up, which only matters for input nobody types.
   */
  public static long nanosPerMillion(BigDecimal usdPerMillion) {
    return usdPerMillion.setScale(9, RoundingMode.HALF_UP).movePointRight(9).longValueExact();
  }
}
