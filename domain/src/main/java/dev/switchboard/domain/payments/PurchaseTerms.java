package dev.switchboard.domain.payments;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.money.Credits;
import java.math.BigDecimal;

/**
 * The terms of a card purchase: a fee of a share of the credits bought (in parts per million, 5.5%
 * is 55,000), but at least a minimum fee, and the smallest and largest purchase. Cards are charged
 * in whole cents, so amounts and fees are whole cents: the fee is the share rounded half-up to the
 * cent ($14.99 at 5.5% is 82.445¢, charged 82¢; $15.00 is 82.5¢, charged 83¢), computed in
 * integers.
 */
public record PurchaseTerms(
    long feePartsPerMillion, Credits minimumFee, Credits minimumPurchase, Credits maximumPurchase) {

  static final long NANOS_PER_CENT = Credits.NANOS_PER_USD / 100;
  private static final long MILLION = 1_000_000;

  /** 5.5%, at least $0.80, from $5 to $10,000. */
  public static final PurchaseTerms STANDARD =
      new PurchaseTerms(
          55_000, Credits.ofUsd("0.80"), Credits.ofUsd("5.00"), Credits.ofUsd("10000.00"));

  public PurchaseTerms {
    if (feePartsPerMillion < 0 || feePartsPerMillion >= MILLION) {
      throw new IllegalArgumentException("the fee is a share from 0% to below 100%");
    }
    if (minimumFee.isNegative() || !isWholeCents(minimumFee)) {
      throw new IllegalArgumentException("the minimum fee is whole cents, zero or more");
    }
    if (!minimumPurchase.isPositive() || !isWholeCents(minimumPurchase)) {
      throw new IllegalArgumentException("the minimum purchase is whole cents, above zero");
    }
    if (maximumPurchase.compareTo(minimumPurchase) < 0 || !isWholeCents(maximumPurchase)) {
      throw new IllegalArgumentException(
          "the maximum purchase is whole cents, at least the minimum");
    }
  }

  /**
   * Terms from configuration text: the fee as a percentage ({@code "5.5"}, at most four decimals)
   * and USD amounts ({@code "0.80"}).
   */
  public static PurchaseTerms parse(
      String feePercent, String minimumFee, String minimumPurchase, String maximumPurchase) {
    return new PurchaseTerms(
        partsPerMillion(feePercent),
        Credits.ofUsd(minimumFee),
        Credits.ofUsd(minimumPurchase),
        Credits.ofUsd(maximumPurchase));
  }

  /**
   * The fee and total of buying {@code credits}.
   *
   * @throws AccountRefusedException (invalid) for an amount below the minimum, above the maximum or
   *     not in whole cents
   */
  public PurchaseQuote quote(Credits credits) {
    if (!isWholeCents(credits)) {
      throw new AccountRefusedException("Buy credits in whole cents, such as 20.00");
    }
    if (credits.compareTo(minimumPurchase) < 0 || credits.compareTo(maximumPurchase) > 0) {
      throw new AccountRefusedException(
          "Buy from $"
              + minimumPurchase.toUsdString()
              + " to $"
              + maximumPurchase.toUsdString()
              + " of credits at a time");
    }
    long shareTimesMillion = Math.multiplyExact(cents(credits), feePartsPerMillion);
    long feeCents = (shareTimesMillion + MILLION / 2) / MILLION; // half-up, never negative
    Credits fee = Credits.ofNanos(Math.multiplyExact(feeCents, NANOS_PER_CENT));
    if (fee.compareTo(minimumFee) < 0) {
      fee = minimumFee;
    }
    return new PurchaseQuote(credits, fee, credits.plus(fee));
  }

  /** The fee as a percentage, as people read it: {@code "5.5"}. */
  public String feePercent() {
    return percent(feePartsPerMillion);
  }

  /**
   * A percentage from configuration ({@code "5.5"}, at most four decimals) in parts per million.
   */
  static long partsPerMillion(String feePercent) {
    try {
      return new BigDecimal(feePercent.strip()).movePointRight(4).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "the fee percentage is a decimal with at most four places: " + feePercent, e);
    }
  }

  static String percent(long partsPerMillion) {
    return BigDecimal.valueOf(partsPerMillion, 4).stripTrailingZeros().toPlainString();
  }

  static boolean isWholeCents(Credits amount) {
    return amount.nanos() % NANOS_PER_CENT == 0;
  }

  static long cents(Credits amount) {
    if (!isWholeCents(amount)) {
      throw new IllegalArgumentException(amount + " is not whole cents");
    }
    return amount.nanos() / NANOS_PER_CENT;
  }
}
