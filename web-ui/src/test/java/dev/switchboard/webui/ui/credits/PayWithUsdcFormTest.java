package dev.switchboard.webui.ui.credits;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.BigDecimalField;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.UserId;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.UsdcTerms;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.math.BigDecimal;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fee and the exact USDC to send are shown before a purchase is made. */
class PayWithUsdcFormTest {

  @BeforeEach
  void openTheForm() {
    MockVaadin.setup();
    // quoting needs only the terms: no database is reached before Pay is clicked
    CryptoPurchases purchases =
        new CryptoPurchases(null, null, null, UsdcTerms.STANDARD, Clock.systemUTC(), org -> {});
    UI.getCurrent()
        .add(new PayWithUsdcForm(purchases, Actor.member(UserId.newId()), OrganizationId.newId()));
  }

  @AfterEach
  void close() {
    MockVaadin.tearDown();
  }

  @Test
  void showsTheFeeAndTheExactUsdcOfTwentyDollarsBeforePaying() {
    assertThat(quote()).isEqualTo("Fee $1.00 · you send 21.000000 USDC for $20.00");
    assertThat(pay().isEnabled()).isTrue();

    amount().setValue(new BigDecimal("33.33"));
    assertThat(quote()).isEqualTo("Fee $1.6665 · you send 34.996500 USDC for $33.33");
  }

  @Test
  void anAmountOutsideTheTermsSaysWhyAndCannotBePaid() {
    amount().setValue(new BigDecimal("4.99"));
    assertThat(quote()).isEqualTo("Buy from $5.00 to $10000.00 of credits at a time");
    assertThat(pay().isEnabled()).isFalse();

    amount().setValue(null);
    assertThat(pay().isEnabled()).isFalse();
  }

  private static String quote() {
    return _get(Span.class, spec -> spec.withId("usdc-quote")).getText();
  }

  private static Button pay() {
    return _get(Button.class, spec -> spec.withId("usdc-submit"));
  }

  private static BigDecimalField amount() {
    return _get(BigDecimalField.class, spec -> spec.withId("usdc-amount-input"));
  }
}
