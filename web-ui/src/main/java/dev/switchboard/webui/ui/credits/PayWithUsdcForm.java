package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.UsdcPurchase;
import dev.switchboard.domain.payments.UsdcQuote;
import dev.switchboard.domain.payments.UsdcTerms;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.webui.ui.Notice;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Buying credits with USDC: an amount, the fee and the exact USDC to send shown first, then the
 * purchase's own page with its deposit address. Credits arrive when the chain watcher has seen the
 * transfer confirmed.
 */
class PayWithUsdcForm extends VerticalLayout {

  private final UsdcTerms terms;
  private final BigDecimalField amount = new BigDecimalField("Credits to buy with USDC (USD)");
  private final Span quote = new Span();
  private final Button pay = new Button("Pay with USDC");
  private final Notice error = new Notice("usdc-error");

  PayWithUsdcForm(CryptoPurchases purchases, Actor buyer, OrganizationId org) {
    this.terms = purchases.terms();
    setPadding(false);
    amount.setId("usdc-amount-input");
    amount.setValue(new BigDecimal("20.00"));
    amount.setValueChangeMode(ValueChangeMode.EAGER);
    amount.setHelperText(
        "From $"
            + terms.minimumPurchase().toUsdString()
            + " to $"
            + terms.maximumPurchase().toUsdString()
            + "; a fee of "
            + terms.feePercent()
            + "% is added");
    amount.addValueChangeListener(change -> showQuote());
    quote.setId("usdc-quote");
    pay.setId("usdc-submit");
    pay.setDisableOnClick(true);
    pay.addClickListener(
        click -> {
          Optional<UsdcQuote> quoted = currentQuote();
          if (quoted.isEmpty()) {
            return;
          }
          try {
            UsdcPurchase purchase = purchases.start(buyer, org, quoted.get().credits());
            getUI().ifPresent(ui -> ui.navigate("credits/usdc/" + purchase.id()));
          } catch (AccountRefusedException e) {
            error.error(e.getMessage());
            pay.setEnabled(true);
          }
        });
    add(amount, quote, pay, error);
    showQuote();
  }

  private void showQuote() {
    Optional<UsdcQuote> quoted = currentQuote();
    quoted.ifPresent(
        q ->
            quote.setText(
                "Fee "
                    + q.fee()
                    + " · you send "
                    + q.amountDueUsdc()
                    + " USDC for "
                    + q.credits()));
    pay.setEnabled(quoted.isPresent());
  }

  /** The quote of the amount typed, or empty with the reason shown in its place. */
  private Optional<UsdcQuote> currentQuote() {
    BigDecimal usd = amount.getValue();
    if (usd == null || amount.isInvalid()) {
      quote.setText("Give an amount in USD, such as 20.00");
      return Optional.empty();
    }
    try {
      return Optional.of(terms.quote(Credits.ofUsd(usd)));
    } catch (AccountRefusedException | IllegalArgumentException e) {
      quote.setText(e.getMessage());
      return Optional.empty();
    }
  }
}
