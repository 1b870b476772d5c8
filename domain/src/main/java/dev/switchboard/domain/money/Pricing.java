package dev.switchboard.domain.money;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An endpoint's list prices. Token prices are nano-USD per million tokens, so a catalog's
 * USD-per-token decimal (e.g. {@code "0.000000075"}) is held exactly as an integer; request, image
 * and web-search prices are nano-USD per unit. Optional prices are {@code null} when the endpoint
 * does not charge for the item separately.
 */
public record Pricing(
    long promptPerMillion,
    long completionPerMillion,
    long perRequest,
    Long cacheReadPerMillion,
    Long cacheWritePerMillion,
    Long reasoningPerMillion,
    Long perImage,
    Long perWebSearch) {

  private static final BigDecimal TOKENS_PER_MILLION = BigDecimal.valueOf(1_000_000);

  public Pricing {
    requireNonNegative(promptPerMillion, "prompt");
    requireNonNegative(completionPerMillion, "completion");
    requireNonNegative(perRequest, "request");
    for (Long optional :
        new Long[] {
          cacheReadPerMillion, cacheWritePerMillion, reasoningPerMillion, perImage, perWebSearch
        }) {
      if (optional != null) {
        requireNonNegative(optional, "optional price");
      }
    }
  }

  public static Pricing of(long promptPerMillion, long completionPerMillion) {
    return new Pricing(promptPerMillion, completionPerMillion, 0, null, null, null, null, null);
  }

  /** Nano-USD per million tokens from a USD-per-token decimal string; refuses what is not exact. */
  public static long perMillionFromUsdPerToken(String usdPerToken) {
    return nanosFromUsd(new BigDecimal(usdPerToken.trim()).multiply(TOKENS_PER_MILLION));
  }

  /** Nano-USD from a USD decimal string (per request, per image). */
  public static long perUnitFromUsd(String usd) {
    return nanosFromUsd(new BigDecimal(usd.trim()));
  }

  /** USD per token as a plain decimal string, the catalog's and OpenRouter's unit. */
  public static String usdPerToken(long perMillion) {
    return BigDecimal.valueOf(perMillion, 9)
        .divide(TOKENS_PER_MILLION)
        .stripTrailingZeros()
        .toPlainString();
  }

  public static String usd(long nanos) {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }

  public boolean isFree() {
    return promptPerMillion == 0
        && completionPerMillion == 0
        && perRequest == 0
        && isZeroOrAbsent(reasoningPerMillion)
        && isZeroOrAbsent(perImage);
  }

  private static boolean isZeroOrAbsent(Long price) {
    return price == null || price == 0;
  }

  private static long nanosFromUsd(BigDecimal usd) {
    if (usd.signum() < 0) {
      throw new IllegalArgumentException("negative price " + usd.toPlainString());
    }
    BigDecimal nanos = usd.movePointRight(9);
    try {
      return nanos.stripTrailingZeros().toBigIntegerExact().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "price " + usd.toPlainString() + " is not a whole number of nano-dollars", e);
    }
  }

  private static void requireNonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " price must not be negative: " + value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pricing p
        && promptPerMillion == p.promptPerMillion
        && completionPerMillion == p.completionPerMillion
        && perRequest == p.perRequest
        && Objects.equals(cacheReadPerMillion, p.cacheReadPerMillion)
        && Objects.equals(cacheWritePerMillion, p.cacheWritePerMillion)
        && Objects.equals(reasoningPerMillion, p.reasoningPerMillion)
        && Objects.equals(perImage, p.perImage)
        && Objects.equals(perWebSearch, p.perWebSearch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        promptPerMillion,
        completionPerMillion,
        perRequest,
        cacheReadPerMillion,
        cacheWritePerMillion,
        reasoningPerMillion,
        perImage,
        perWebSearch);
  }
}
