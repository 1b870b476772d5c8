package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.money.Credits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PurchaseTermsTest {

  private static final PurchaseTerms STANDARD = PurchaseTerms.STANDARD;

  @Test
  void twentyDollarsOfCreditsCostsTwentyOneDollarsTen() {
    PurchaseQuote quote = STANDARD.quote(Credits.ofUsd("20.00"));
    assertThat(quote.credits()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(quote.fee()).isEqualTo(Credits.ofUsd("1.10"));
    assertThat(quote.total()).isEqualTo(Credits.ofUsd("21.10"));
    assertThat(quote.totalCents()).isEqualTo(2110);
  }

  @ParameterizedTest(name = "${0} of credits pays a fee of ${1}")
  @CsvSource({
    "5.00, 0.80", // 27.5¢ is below the minimum
    "14.54, 0.80", // 79.97¢ rounds to 80¢: the minimum either way
    "14.60, 0.80", // 80.3¢ rounds half-up to 80¢
    "14.99, 0.82", // 82.445¢ rounds down
    "15.00, 0.83", // 82.5¢: exactly half a cent rounds up
    "15.01, 0.83", // 82.555¢ rounds up
    "100.00, 5.50",
    "9999.99, 550.00", // 549.99945 dollars rounds up to the cent
    "10000.00, 550.00"
  })
  void theFeeIsTheShareRoundedHalfUpToTheCentButAtLeastTheMinimum(String credits, String fee) {
    PurchaseQuote quote = STANDARD.quote(Credits.ofUsd(credits));
    assertThat(quote.fee()).isEqualTo(Credits.ofUsd(fee));
    assertThat(quote.total()).isEqualTo(Credits.ofUsd(credits).plus(Credits.ofUsd(fee)));
  }

  @Test
  void amountsOutsideTheLimitsOrFinerThanACentAreRefused() {
    assertThatThrownBy(() -> STANDARD.quote(Credits.ofUsd("4.99")))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessage("Buy from $5.00 to $10000.00 of credits at a time");
    assertThatThrownBy(() -> STANDARD.quote(Credits.ofUsd("10000.01")))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> STANDARD.quote(Credits.ofUsd("20.001")))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("whole cents");
  }

  @Test
  void configuredTermsReplaceTheStandardOnes() {
    PurchaseTerms terms = PurchaseTerms.parse("2.9", "0.30", "1", "50");
    assertThat(terms.feePartsPerMillion()).isEqualTo(29_000);
    assertThat(terms.feePercent()).isEqualTo("2.9");
    assertThat(terms.quote(Credits.ofUsd("50.00")).fee()).isEqualTo(Credits.ofUsd("1.45"));
    assertThat(terms.quote(Credits.ofUsd("1.00")).fee()).isEqualTo(Credits.ofUsd("0.30"));
    assertThatThrownBy(() -> terms.quote(Credits.ofUsd("50.01")))
        .isInstanceOf(AccountRefusedException.class);
  }

  @Test
  void termsThatCannotBeChargedAreRefusedAtStart() {
    assertThatThrownBy(() -> PurchaseTerms.parse("5.55555", "0.80", "5", "10000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PurchaseTerms.parse("5.5", "0.805", "5", "10000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PurchaseTerms.parse("5.5", "0.80", "50", "10"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PurchaseTerms.parse("100", "0.80", "5", "10"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
