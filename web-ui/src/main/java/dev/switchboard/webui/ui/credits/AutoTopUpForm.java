package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.BigDecimalField;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.AutoTopUps;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.webui.ui.Notice;
import java.math.BigDecimal;

/**
 * Auto top-up of the organization: on or off, the threshold its balance must fall below and the
 * credits then bought with the card a purchase saved; the last decline, if any, in plain words.
 */
class AutoTopUpForm extends VerticalLayout {

  private final AutoTopUps autoTopUps;
  private final Actor actor;
  private final OrganizationId org;
  private final Checkbox enabled = new Checkbox("Top up automatically");
  private final BigDecimalField threshold =
      new BigDecimalField("When the balance falls below (USD)");
  private final BigDecimalField amount = new BigDecimalField("Buy this much (USD)");
  private final Paragraph status = new Paragraph();
  private final Notice notice = new Notice("auto-top-up-notice");

  AutoTopUpForm(AutoTopUps autoTopUps, Actor actor, OrganizationId org) {
    this.autoTopUps = autoTopUps;
    this.actor = actor;
    this.org = org;
    setPadding(false);
    enabled.setId("auto-top-up-enabled");
    threshold.setId("auto-top-up-threshold");
    amount.setId("auto-top-up-amount");
    status.setId("auto-top-up-status");
    Button save = new Button("Save auto top-up");
    save.setId("auto-top-up-save");
    save.addClickListener(click -> save());
    AutoTopUps.Settings settings = autoTopUps.settings(actor, org);
    enabled.setValue(settings.enabled());
    threshold.setValue(
        settings.threshold().isZero() ? new BigDecimal("5.00") : settings.threshold().toUsd());
    amount.setValue(
        settings.amount().isZero() ? new BigDecimal("20.00") : settings.amount().toUsd());
    add(status, enabled, threshold, amount, save, notice);
    show(settings);
  }

  private void save() {
    if (threshold.getValue() == null || amount.getValue() == null) {
      notice.error("Give the threshold and the amount in USD, such as 5.00 and 20.00");
      return;
    }
    try {
      AutoTopUps.Settings saved =
          autoTopUps.configure(
              actor,
              org,
              enabled.getValue(),
              Credits.ofUsd(threshold.getValue()),
              Credits.ofUsd(amount.getValue()));
      show(saved);
      notice.success(saved.enabled() ? "Auto top-up is on." : "Auto top-up is off.");
    } catch (AccountRefusedException | IllegalArgumentException e) {
      notice.error(e.getMessage());
    }
  }

  private void show(AutoTopUps.Settings settings) {
    String text;
    if (!settings.cardSaved()) {
      text =
          "Auto top-up charges a saved card: buy credits once with \"Save this card for auto"
              + " top-up\" ticked.";
    } else if (settings.enabled()) {
      text =
          "On: when the balance falls below "
              + settings.threshold()
              + ", "
              + settings.amount()
              + " of credits are bought with the saved card (plus the card fee).";
    } else {
      text = "Off.";
    }
    if (settings.lastFailure().isPresent()) {
      text +=
          " The last top-up was declined ("
              + settings.consecutiveDeclines()
              + " in a row): "
              + settings.lastFailure().get();
    }
    status.setText(text);
  }
}
