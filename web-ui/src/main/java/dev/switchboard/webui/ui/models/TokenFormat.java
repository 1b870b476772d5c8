package dev.switchboard.webui.ui.models;

import java.util.Locale;

/** Token counts with digit grouping: {@code 128000} → {@code "128,000"}. */
public final class TokenFormat {

  private TokenFormat() {}

  public static String tokens(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** As {@link #tokens(long)}, or {@link PriceFormat#NONE} when there is no limit. */
  public static String tokens(Integer count) {
    return count == null ? PriceFormat.NONE : tokens(count.longValue());
  }
}
