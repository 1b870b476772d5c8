package dev.switchboard.webui.ui.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceFormatTest {

  @Test
  void showsUsdPerMillionTokensWithAtLeastTwoDecimals() {
    assertThat(PriceFormat.perMillion(150_000_000L)).isEqualTo("$0.15 / M");
    assertThat(PriceFormat.perMillion(2_500_000_000L)).isEqualTo("$2.50 / M");
    assertThat(PriceFormat.perMillion(10_000_000_000L)).isEqualTo("$10.00 / M");
    assertThat(PriceFormat.perMillion(0L)).isEqualTo("$0.00 / M");
  }

  @Test
  void keepsEverySignificantDigitSoDifferentPricesNeverLookAlike() {
    assertThat(PriceFormat.perMillion(75_000_000L)).isEqualTo("$0.075 / M");
    assertThat(PriceFormat.perMillion(1L)).isEqualTo("$0.000000001 / M");
  }

  @Test
  void showsADashForAnAbsentPriceAndForNoRequestFee() {
    assertThat(PriceFormat.perMillion((Long) null)).isEqualTo("—");
    assertThat(PriceFormat.perRequest(0)).isEqualTo("—");
    assertThat(PriceFormat.perRequest(1_000_000L)).isEqualTo("$0.001 / request");
  }

  @Test
  void readsWhatAPersonTypesAsUsdPerMillionTokens() {
    assertThat(PriceFormat.nanosPerMillion(new BigDecimal("0.15"))).isEqualTo(150_000_000L);
    assertThat(PriceFormat.nanosPerMillion(new BigDecimal("3"))).isEqualTo(3_000_000_000L);
    assertThat(PriceFormat.nanosPerMillion(new BigDecimal("0.0000000015"))).isEqualTo(2L);
  }

  @Test
  void groupsTheDigitsOfTokenCounts() {
    assertThat(TokenFormat.tokens(128_000)).isEqualTo("128,000");
    assertThat(TokenFormat.tokens((Integer) null)).isEqualTo("—");
  }
}
