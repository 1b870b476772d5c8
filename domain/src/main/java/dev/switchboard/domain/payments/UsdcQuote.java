package dev.switchboard.domain.payments;

import dev.switchboard.domain.money.Credits;
import java.math.BigDecimal;

/** What a USDC purchase credits, its fee, and the exact amount due in micro-USDC. */
public record UsdcQuote(Credits credits, Credits fee, long amountDueMicros) {

  public UsdcQuote {
    if (Math.multiplyExact(amountDueMicros, UsdcTerms.NANOS_PER_MICRO)
        != credits.plus(fee).nanos()) {
      throw new IllegalArgumentException("the amount due is the credits and the fee");
    }
  }

  /** The amount due as people and wallets write it: {@code "21.000000"} USDC. */
  public String amountDueUsdc() {
    return usdc(amountDueMicros);
  }

  /** Micro-USDC as a decimal of six places. */
  public static String usdc(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }
}
