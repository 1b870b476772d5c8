package dev.switchboard.domain.payments;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.money.Credits;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * The terms of a USDC purchase: a fee of a share of the credits bought (in parts per million, 5% is
 * 50,000), the smallest and largest purchase (whole cents), how long a deposit address is offered,
 * and how long after that a late payment is still watched for and credited.
 *
 * <p>USDC moves in micro-USDC (six decimals), so the amount due is the credits plus the fee rounded
 * up to the micro-USDC. What arrives is credited by one rule, whatever its amount: each confirmed
 * transfer of {@code r} micro-USDC credits {@code r × 1,000 × 10^6 / (10^6 + fee)} nanos, rounded
 * down to the nano, and the rest of it is the fee. Paying exactly the amount due credits the
 * credits bought (exactly when the fee is whole micro-USDC, as 5% of whole cents always is;
 * otherwise less than a micro-USDC more); paying less or more credits proportionally less or more.
 */
public record UsdcTerms(
    long feePartsPerMillion,
    Credits minimumPurchase,
    Credits maximumPurchase,
    Duration validity,
    Duration latePaymentWindow) {

  /** Nanos per micro-USDC. */
  public static final long NANOS_PER_MICRO = 1_000;

  private static final long MILLION = 1_000_000;

  /** 5%, from $5 to $10,000, an address offered for an hour and watched for 30 days after. */
  public static final UsdcTerms STANDARD =
      new UsdcTerms(
          50_000,
          Credits.ofUsd("5.00"),
          Credits.ofUsd("10000.00"),
          Duration.ofHours(1),
          Duration.ofDays(30));

  public UsdcTerms {
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(latePaymentWindow, "latePaymentWindow");
    if (feePartsPerMillion < 0 || feePartsPerMillion >= MILLION) {
      throw new IllegalArgumentException("the fee is a share from 0% to below 100%");
    }
    if (!minimumPurchase.isPositive() || !PurchaseTerms.isWholeCents(minimumPurchase)) {
      throw new IllegalArgumentException("the minimum purchase is whole cents, above zero");
    }
    if (maximumPurchase.compareTo(minimumPurchase) < 0
        || !PurchaseTerms.isWholeCents(maximumPurchase)) {
      throw new IllegalArgumentException(
          "the maximum purchase is whole cents, at least the minimum");
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("a deposit address is offered for some time");
    }
    if (latePaymentWindow.isNegative()) {
      throw new IllegalArgumentException("the late payment window is zero or more");
    }
  }

  /** These terms with the fee given as a percentage from configuration ({@code "5"}). */
  public UsdcTerms withFeePercent(String feePercent) {
    return new UsdcTerms(
        PurchaseTerms.partsPerMillion(feePercent),
        minimumPurchase,
        maximumPurchase,
        validity,
        latePaymentWindow);
  }

  /** These terms with another validity of a deposit address. */
  public UsdcTerms withValidity(Duration validity) {
    return new UsdcTerms(
        feePartsPerMillion, minimumPurchase, maximumPurchase, validity, latePaymentWindow);
  }

  /**
   * The fee and the amount due of buying {@code credits}.
   *
   * @throws AccountRefusedException (invalid) for an amount below the minimum, above the maximum or
   *     not in whole cents
   */
  public UsdcQuote quote(Credits credits) {
    if (!PurchaseTerms.isWholeCents(credits)) {
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
    long creditsMicros = credits.nanos() / NANOS_PER_MICRO;
    long shareTimesMillion = Math.multiplyExact(creditsMicros, feePartsPerMillion);
    long feeMicros = (shareTimesMillion + MILLION - 1) / MILLION; // up, to whole micro-USDC
    Credits fee = Credits.ofNanos(Math.multiplyExact(feeMicros, NANOS_PER_MICRO));
    return new UsdcQuote(credits, fee, creditsMicros + feeMicros);
  }

  /** What a transfer of {@code receivedMicros} credits, and its fee (the rule above). */
  public Split split(long receivedMicros) {
    if (receivedMicros <= 0) {
      throw new IllegalArgumentException("a transfer brings a positive amount");
    }
    BigInteger received = BigInteger.valueOf(Math.multiplyExact(receivedMicros, NANOS_PER_MICRO));
    long credits =
        received
            .multiply(BigInteger.valueOf(MILLION))
            .divide(BigInteger.valueOf(MILLION + feePartsPerMillion))
            .longValueExact();
    return new Split(Credits.ofNanos(credits), Credits.ofNanos(received.longValue() - credits));
  }

  /** The fee as a percentage, as people read it: {@code "5"}. */
  public String feePercent() {
    return PurchaseTerms.percent(feePartsPerMillion);
  }

  /** A transfer's credits and fee; together they are what arrived. */
  public record Split(Credits credits, Credits fee) {}
}
