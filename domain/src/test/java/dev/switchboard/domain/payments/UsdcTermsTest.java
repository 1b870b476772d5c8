package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.money.Credits;
import org.junit.jupiter.api.Test;

class UsdcTermsTest {

  private final UsdcTerms terms = UsdcTerms.STANDARD;

  @Test
  void twentyDollarsOfCreditsCostTwentyOneUsdc() {
    UsdcQuote quote = terms.quote(Credits.ofUsd("20.00"));
    assertThat(quote.fee()).isEqualTo(Credits.ofUsd("1.00"));
    assertThat(quote.amountDueMicros()).isEqualTo(21_000_000L);
    assertThat(quote.amountDueUsdc()).isEqualTo("21.000000");
  }

  @Test
  void theExactAmountDueCreditsExactlyTheCreditsBought() {
    for (String usd : new String[] {"5.00", "20.00", "33.33", "9999.99", "10000.00"}) {
      UsdcQuote quote = terms.quote(Credits.ofUsd(usd));
      UsdcTerms.Split split = terms.split(quote.amountDueMicros());
      assertThat(split.credits()).as(usd).isEqualTo(Credits.ofUsd(usd));
      assertThat(split.fee()).as(usd).isEqualTo(quote.fee());
    }
  }

  @Test
  void anyOtherAmountCreditsWhatArrivedLessTheFeeRoundedDownToTheNano() {
    // 10.5 USDC at 5%: 10.00 of credits, 0.50 of fee
    assertThat(terms.split(10_500_000)).isEqualTo(split("10.00", "0.50"));
    // 1 micro-USDC = 1,000 nanos: 1,000 / 1.05 = 952.38 → 952 credited, 48 fee
    assertThat(terms.split(1))
        .isEqualTo(new UsdcTerms.Split(Credits.ofNanos(952), Credits.ofNanos(48)));
    UsdcTerms.Split odd = terms.split(7_777_777);
    assertThat(odd.credits().plus(odd.fee()).nanos()).isEqualTo(7_777_777_000L);
    assertThat(odd.credits().nanos()).isEqualTo(7_777_777_000L * 100 / 105);
  }

  @Test
  void aFeeThatIsNotWholeMicroUsdcIsRoundedUp() {
    UsdcTerms odd = terms.withFeePercent("1.2345");
    UsdcQuote quote = odd.quote(Credits.ofUsd("5.01")); // 5.01 × 1.2345% = 0.06184845 USDC
    assertThat(quote.fee()).isEqualTo(Credits.ofNanos(61_849_000));
    assertThat(odd.split(quote.amountDueMicros()).credits().compareTo(quote.credits()))
        .isGreaterThanOrEqualTo(0);
  }

  @Test
  void amountsOutsideTheTermsAreRefused() {
    assertThatThrownBy(() -> terms.quote(Credits.ofUsd("4.99")))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> terms.quote(Credits.ofUsd("10000.01")))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> terms.quote(Credits.ofUsd("5.001")))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> terms.withFeePercent("five"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static UsdcTerms.Split split(String credits, String fee) {
    return new UsdcTerms.Split(Credits.ofUsd(credits), Credits.ofUsd(fee));
  }
}
