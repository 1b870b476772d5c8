package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CardPurchases;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.PaymentProviderException;
import dev.switchboard.domain.payments.PurchaseQuote;
import dev.switchboard.domain.payments.PurchaseTerms;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.webui.ui.Notice;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Buying credits by card: an amount, the fee and total shown before paying, then Stripe Checkout,
 * which can save the card for auto top-up. The credits arrive when Stripe's webhook says the
 * payment succeeded, never on the way back.
 */
class BuyCreditsForm extends VerticalLayout {

  private final PurchaseTerms terms;
  private final BigDecimalField amount = new BigDecimalField("Credits to buy (USD)");
  private final Span quote = new Span();
  private final Checkbox saveCard = new Checkbox("Save this card for auto top-up");
  private final Button buy = new Button("Buy credits");
  private final Notice error = new Notice("buy-error");

  BuyCreditsForm(CardPurchases purchases, Actor buyer, OrganizationId org, String publicUrl) {
    this.terms = purchases.terms();
    setPadding(false);
    amount.setId("buy-amount");
    amount.setValue(new BigDecimal("20.00"));
    amount.setValueChangeMode(ValueChangeMode.EAGER);
    amount.setHelperText(
        "From $"
            + terms.minimumPurchase().toUsdString()
            + " to $"
            + terms.maximumPurchase().toUsdString()
            + "; a card fee of "
            + terms.feePercent()
            + "% (at least $"
            + terms.minimumFee().toUsdString()
            + ") is added");
    amount.addValueChangeListener(change -> showQuote());
    quote.setId("buy-quote");
    saveCard.setId("buy-save-card");
    buy.setId("buy-submit");
    buy.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    buy.setDisableOnClick(true);
    buy.addClickListener(
        click -> {
          Optional<PurchaseQuote> quoted = currentQuote();
          if (quoted.isEmpty()) {
            return;
          }
          try {
            Checkout checkout =
                purchases.start(
                    buyer,
                    org,
                    quoted.get().credits(),
                    saveCard.getValue(),
                    id ->
                        new CheckoutGateway.ReturnUrls(
                            publicUrl + "/credits/checkout/" + id, publicUrl + "/credits"));
            getUI().ifPresent(ui -> ui.getPage().setLocation(checkout.checkoutUrl().orElseThrow()));
          } catch (AccountRefusedException e) {
            error.error(e.getMessage());
            buy.setEnabled(true);
          } catch (PaymentProviderException e) {
            error.error("Stripe could not be reached, nothing was charged: please try again.");
            buy.setEnabled(true);
          }
        });
    add(amount, quote, saveCard, buy, error);
    showQuote();
  }

  private void showQuote() {
    Optional<PurchaseQuote> quoted = currentQuote();
    quoted.ifPresent(
        q -> quote.setText("Fee " + q.fee() + " · you pay " + q.total() + " for " + q.credits()));
    buy.setEnabled(quoted.isPresent());
  }

  /** The quote of the amount typed, or empty with the reason shown in its place. */
  private Optional<PurchaseQuote> currentQuote() {
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
