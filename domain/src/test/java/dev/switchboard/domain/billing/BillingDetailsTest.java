package dev.switchboard.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BillingDetailsTest {

  @Test
  void partsAreStrippedAndBlankOnesAreAbsent() {
    BillingDetails details =
        BillingDetails.of(
            "  Acme GmbH ", "Hauptstr. 1", " ", "de", " DE123456789 ", "Billing@Acme.DE");

    assertThat(details.legalName()).contains("Acme GmbH");
    assertThat(details.addressLine1()).contains("Hauptstr. 1");
    assertThat(details.addressLine2()).isEmpty();
    assertThat(details.country()).contains("DE");
    assertThat(details.taxId()).contains("DE123456789");
    assertThat(details.billingEmail()).contains("billing@acme.de");
    assertThat(BillingDetails.of(null, "", " ", null, "", null)).isEqualTo(BillingDetails.NONE);
    assertThat(BillingDetails.NONE.isEmpty()).isTrue();
    assertThat(details.isEmpty()).isFalse();
  }

  @Test
  void eachRefusalNamesThePartItConcerns() {
    assertThat(refusedPart(() -> BillingDetails.of("x".repeat(201), null, null, null, null, null)))
        .isEqualTo(BillingDetails.Part.LEGAL_NAME);
    assertThat(refusedPart(() -> BillingDetails.of(null, "<script>", null, null, null, null)))
        .isEqualTo(BillingDetails.Part.ADDRESS_LINE1);
    assertThat(refusedPart(() -> BillingDetails.of(null, null, "line\u0000two", null, null, null)))
        .isEqualTo(BillingDetails.Part.ADDRESS_LINE2);
    assertThat(refusedPart(() -> BillingDetails.of(null, null, null, "Germany", null, null)))
        .isEqualTo(BillingDetails.Part.COUNTRY);
    assertThat(refusedPart(() -> BillingDetails.of(null, null, null, "D1", null, null)))
        .isEqualTo(BillingDetails.Part.COUNTRY);
    assertThat(refusedPart(() -> BillingDetails.of(null, null, null, null, "DE 123; DROP", null)))
        .isEqualTo(BillingDetails.Part.TAX_ID);
    assertThat(refusedPart(() -> BillingDetails.of(null, null, null, null, "1".repeat(51), null)))
        .isEqualTo(BillingDetails.Part.TAX_ID);
    assertThat(refusedPart(() -> BillingDetails.of(null, null, null, null, null, "not an address")))
        .isEqualTo(BillingDetails.Part.BILLING_EMAIL);
  }

  @Test
  void theLongestAcceptedPartsFitTheirLimits() {
    BillingDetails longest =
        BillingDetails.of(
            "n".repeat(200), "a".repeat(200), "b".repeat(200), "US", "T".repeat(50), null);
    assertThat(longest.legalName().map(String::length)).isEqualTo(Optional.of(200));
    assertThat(longest.taxId().map(String::length)).isEqualTo(Optional.of(50));
  }

  /** The part the refusal names, after checking it is a refusal with a message. */
  private static BillingDetails.Part refusedPart(Runnable make) {
    InvalidBillingDetailsException[] caught = new InvalidBillingDetailsException[1];
    assertThatThrownBy(make::run)
        .isInstanceOfSatisfying(InvalidBillingDetailsException.class, e -> caught[0] = e);
    assertThat(caught[0].getMessage()).isNotBlank();
    return caught[0].part();
  }
}
