package dev.switchboard.domain.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The cost of a generation at list price: every component is summed exactly in nano-USD × tokens,
 * divided by a million once and rounded half-up once, so costs never drift by rounding each part.
 */
public final class CostCalculator {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private CostCalculator() {}

  public static Credits cost(Pricing pricing, TokenUsage usage) {
    long uncachedPrompt =
        usage.promptTokens() - usage.cachedPromptTokens() - usage.cacheWriteTokens();
    long reasoning = pricing.reasoningPerMillion() == null ? 0 : usage.reasoningTokens();
    long plainCompletion = usage.completionTokens() - reasoning;

    BigInteger perMillionTotal =
        product(uncachedPrompt, pricing.promptPerMillion())
            .add(
                product(
                    usage.cachedPromptTokens(),
                    orElse(pricing.cacheReadPerMillion(), pricing.promptPerMillion())))
            .add(
                product(
                    usage.cacheWriteTokens(),
                    orElse(pricing.cacheWritePerMillion(), pricing.promptPerMillion())))
            .add(product(plainCompletion, pricing.completionPerMillion()))
            .add(
                product(
                    reasoning,
                    orElse(pricing.reasoningPerMillion(), pricing.completionPerMillion())));
    BigInteger perUnitTotal =
        BigInteger.valueOf(pricing.perRequest())
            .add(product(usage.images(), orElse(pricing.perImage(), 0L)))
            .add(product(usage.webSearches(), orElse(pricing.perWebSearch(), 0L)));

    BigDecimal nanos =
        new BigDecimal(perMillionTotal)
            .divide(MILLION)
            .setScale(0, RoundingMode.HALF_UP)
            .add(new BigDecimal(perUnitTotal));
    return Credits.ofNanos(nanos.longValueExact());
  }

  /**
   * What the provider's prompt cache took off the cost: the cost had every prompt token been billed
   * at the prompt price, less the cost. Negative when writing to the cache cost more than reading
   * from it saved.
   */
  public static Credits cacheDiscount(Pricing pricing, TokenUsage usage) {
    TokenUsage uncached =
        new TokenUsage(
            usage.promptTokens(),
            usage.completionTokens(),
            usage.reasoningTokens(),
            0,
            0,
            usage.images(),
            usage.webSearches());
    return cost(pricing, uncached).minus(cost(pricing, usage));
  }

  /**
   * The most a request can cost: all of {@code maxPromptTokens} at the prompt price (no cache
   * discount) and all of {@code maxCompletionTokens} at the dearer of the completion and reasoning
   * prices.
   */
  public static Credits worstCase(Pricing pricing, long maxPromptTokens, long maxCompletionTokens) {
    long completionPrice =
        Math.max(pricing.completionPerMillion(), orElse(pricing.reasoningPerMillion(), 0L));
    long promptPrice =
        Math.max(pricing.promptPerMillion(), orElse(pricing.cacheWritePerMillion(), 0L));
    BigInteger perMillion =
        product(maxPromptTokens, promptPrice).add(product(maxCompletionTokens, completionPrice));
    // round up: a reservation must never be short of the cost
    BigInteger[] quotientAndRemainder =
        perMillion.divideAndRemainder(BigInteger.valueOf(1_000_000));
    BigInteger nanos = quotientAndRemainder[0];
    if (quotientAndRemainder[1].signum() > 0) {
      nanos = nanos.add(BigInteger.ONE);
    }
    return Credits.ofNanos(nanos.add(BigInteger.valueOf(pricing.perRequest())).longValueExact());
  }

  /** Switchboard's fee on a request through an organization's own provider key, in percent. */
  public static final int BYOK_FEE_PERCENT = 5;

  /**
   * The fee on a BYOK request whose list price came to {@code listCost}: 5% of it, rounded half-up
   * to the nano-dollar (so the fee on a worst case is never below the fee on what it bounds).
   */
  public static Credits byokFee(Credits listCost) {
    return Credits.ofNanos(
        BigDecimal.valueOf(listCost.nanos())
            .multiply(BigDecimal.valueOf(BYOK_FEE_PERCENT))
            .divide(BigDecimal.valueOf(100))
            .setScale(0, RoundingMode.HALF_UP)
            .longValueExact());
  }

  private static BigInteger product(long a, long b) {
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
  }

  private static long orElse(Long value, long fallback) {
    return value == null ? fallback : value;
  }
}
