package dev.switchboard.domain.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostCalculatorTest {

  @Test
  void roundsHalfUpOnceOverTheWholeSum() {
    // 0.075 USD/M prompt = 75,000,000 nano/M; 3 tokens = 225 nano exactly; 0.3 USD/M completion, 1
    // token
    // = 300 nano; third-of-a-nano parts are summed before rounding.
    Pricing pricing = Pricing.of(Pricing.perMillionFromUsdPerToken("0.000000075"), 300_000_000L);
    assertThat(CostCalculator.cost(pricing, TokenUsage.of(3, 1)).nanos()).isEqualTo(525);

    Pricing thirds = Pricing.of(333_333L, 333_333L); // 0.333333 nano per token
    // 3 prompt + 3 completion = 1,999,998 / 1e6 = 1.999998 -> 2 (once), not 0+0 per part
    assertThat(CostCalculator.cost(thirds, TokenUsage.of(3, 3)).nanos()).isEqualTo(2);
  }

  @Test
  void chargesCachedAndReasoningTokensAtTheirOwnPrices() {
    Pricing pricing =
        new Pricing(
            1_000_000_000L, 2_000_000_000L, 5, 100_000_000L, null, 4_000_000_000L, null, null);
    TokenUsage usage = new TokenUsage(1_000, 500, 100, 400, 0, 0, 0);
    // 600 uncached * 1000 + 400 cached * 100 + 400 plain completion * 2000 + 100 reasoning * 4000 +
    // 5
    assertThat(CostCalculator.cost(pricing, usage).nanos())
        .isEqualTo(600L * 1000 + 400L * 100 + 400L * 2000 + 100L * 4000 + 5);
  }

  @Test
  void theCacheDiscountIsWhatReadsSavedLessWhatWritesCostAboveThePromptPrice() {
    // prompt 1,000 nano/token, cache reads 100, cache writes 1,250; completion 2,000
    Pricing pricing =
        new Pricing(
            1_000_000_000L, 2_000_000_000L, 0, 100_000_000L, 1_250_000_000L, null, null, null);
    TokenUsage reads = new TokenUsage(1_000, 10, 0, 800, 0, 0, 0);
    TokenUsage writes = new TokenUsage(1_000, 10, 0, 0, 800, 0, 0);

    assertThat(CostCalculator.cacheDiscount(pricing, reads).nanos()).isEqualTo(800L * 900);
    assertThat(CostCalculator.cacheDiscount(pricing, writes).nanos()).isEqualTo(-800L * 250);
    assertThat(CostCalculator.cacheDiscount(pricing, TokenUsage.of(1_000, 10)).nanos()).isZero();
    assertThat(
            CostCalculator.cost(pricing, reads).plus(CostCalculator.cacheDiscount(pricing, reads)))
        .isEqualTo(CostCalculator.cost(pricing, TokenUsage.of(1_000, 10)));
  }

  @Test
  void worstCaseIsNeverBelowTheActualCost() {
    Pricing pricing = Pricing.of(333_333L, 777_777L);
    for (int prompt = 0; prompt < 50; prompt++) {
      for (int completion = 0; completion < 50; completion++) {
        Credits worst = CostCalculator.worstCase(pricing, prompt, completion);
        assertThat(worst)
            .isGreaterThanOrEqualTo(
                CostCalculator.cost(pricing, TokenUsage.of(prompt, completion)));
      }
    }
  }

  @Test
  void refusesPricesFinerThanANanoDollarPerMillionTokens() {
    assertThatThrownBy(() -> Pricing.perMillionFromUsdPerToken("0.0000000000000001"))
        .hasMessageContaining("nano-dollars");
    assertThatThrownBy(() -> Pricing.perMillionFromUsdPerToken("-0.000001"))
        .hasMessageContaining("negative");
    assertThat(Pricing.perMillionFromUsdPerToken("0.000015")).isEqualTo(15_000_000_000L);
    assertThat(Pricing.usdPerToken(15_000_000_000L)).isEqualTo("0.000015");
  }

  @Test
  void creditsConvertExactlyAndRefuseSubNanoAmounts() {
    assertThat(Credits.ofUsd("10.00").nanos()).isEqualTo(10_000_000_000L);
    assertThat(Credits.ofUsd("10").toUsdString()).isEqualTo("10.00");
    assertThat(Credits.ofNanos(123_456).toUsdString()).isEqualTo("0.000123456");
    assertThatThrownBy(() -> Credits.ofUsd("0.0000000001")).hasMessageContaining("nano-dollar");
    assertThatThrownBy(() -> Credits.ofUsd("1e400")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theByokFeeIsFivePercentOfTheListPriceRoundedHalfUp() {
    assertThat(CostCalculator.byokFee(Credits.ofNanos(1_234_567)))
        .isEqualTo(Credits.ofNanos(61_728));
    assertThat(CostCalculator.byokFee(Credits.ofNanos(10))).isEqualTo(Credits.ofNanos(1)); // 0.5
    assertThat(CostCalculator.byokFee(Credits.ofNanos(9))).isEqualTo(Credits.ofNanos(0)); // 0.45
    assertThat(CostCalculator.byokFee(Credits.ZERO)).isEqualTo(Credits.ZERO);
  }
}
