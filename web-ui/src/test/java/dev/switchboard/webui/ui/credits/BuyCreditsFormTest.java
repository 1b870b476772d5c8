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
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.PurchaseTerms;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.math.BigDecimal;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fee and total are shown before paying, and an amount outside the terms cannot be paid. */
class BuyCreditsFormTest {

  @BeforeEach
  void openTheForm() {
    MockVaadin.setup();
    // quoting needs only the terms: no database or Stripe is reached before Buy is clicked
    CardPurchases purchases =
        new CardPurchases(null, null, null, PurchaseTerms.STANDARD, Clock.systemUTC());
    UI.getCurrent()
        .add(
            new BuyCreditsForm(
                purchases,
                Actor.member(UserId.newId()),
                OrganizationId.newId(),
                "https://sb.test"));
  }

  @AfterEach
  void close() {
    MockVaadin.tearDown();
  }

  @Test
  void showsTheFeeAndTheTotalOfTwentyDollarsBeforePaying() {
    assertThat(quote()).isEqualTo("Fee $1.10 · you pay $21.10 for $20.00");
    assertThat(buy().isEnabled()).isTrue();

    amount().setValue(new BigDecimal("5"));
    assertThat(quote()).isEqualTo("Fee $0.80 · you pay $5.80 for $5.00");
  }

  @Test
  void anAmountOutsideTheTermsSaysWhyAndCannotBeBought() {
    amount().setValue(new BigDecimal("4.99"));
    assertThat(quote()).isEqualTo("Buy from $5.00 to $10000.00 of credits at a time");
    assertThat(buy().isEnabled()).isFalse();

    amount().setValue(new BigDecimal("20.005"));
    assertThat(quote()).contains("whole cents");
    assertThat(buy().isEnabled()).isFalse();

    amount().setValue(null);
    assertThat(buy().isEnabled()).isFalse();
  }

  private static String quote() {
    return _get(Span.class, spec -> spec.withId("buy-quote")).getText();
  }

  private static Button buy() {
    return _get(Button.class, spec -> spec.withId("buy-submit"));
  }

  private static BigDecimalField amount() {
    return _get(BigDecimalField.class, spec -> spec.withId("buy-amount"));
  }
}
