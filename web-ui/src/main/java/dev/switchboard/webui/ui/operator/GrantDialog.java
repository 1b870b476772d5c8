package dev.switchboard.webui.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationSummary;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Grants credits to an organization with a reason. The dialog holds one idempotency key, so a
 * double click or a resubmission grants once.
 */
class GrantDialog extends Dialog {

  private static final BigDecimal MAX_GRANT = new BigDecimal("100000");

  GrantDialog(OrganizationSummary org, Ledger ledger, Consumer<Credits> granted) {
    String idempotencyKey = "operator-page-" + UUID.randomUUID();
    setHeaderTitle("Grant credits to " + org.name());
    setId("grant-dialog");
    BigDecimalField amount = new BigDecimalField("Amount (USD)");
    amount.setId("grant-amount");
    TextField reason = new TextField("Reason");
    reason.setId("grant-reason");
    reason.setMaxLength(500);
    reason.setHelperText("Shown in the organization's statement");
    Paragraph error = new Paragraph();
    error.setId("grant-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    error.setVisible(false);
    add(amount, reason, error);
    Button submit = new Button("Grant");
    submit.setId("grant-submit");
    submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    submit.setDisableOnClick(true);
    submit.addClickListener(
        click -> {
          BigDecimal usd = amount.getValue();
          String why = reason.getValue().strip();
          String problem = problemWith(amount.isInvalid() ? null : usd, why);
          if (problem != null) {
            error.setText(problem);
            error.setVisible(true);
            submit.setEnabled(true);
            return;
          }
          Credits credits = Credits.ofUsd(usd);
          ledger.grant(org.id(), credits, idempotencyKey, credits.nanos() + "|" + why, why);
          granted.accept(credits);
          close();
        });
    Button cancel = new Button("Cancel", click -> close());
    getFooter().add(cancel, submit);
  }

  /**
   * Why a grant of {@code usd} (null when not a number) for that reason cannot be made, or null.
   */
  private static String problemWith(BigDecimal usd, String why) {
    if (usd == null || usd.signum() <= 0) {
      return "Give an amount in USD above 0";
    }
    if (usd.compareTo(MAX_GRANT) > 0) {
      return "A single grant is at most $" + MAX_GRANT.toPlainString();
    }
    try {
      Credits.ofUsd(usd); // the ledger's own precision: whole nano-dollars
    } catch (IllegalArgumentException e) {
      return "An amount has at most 9 decimals";
    }
    return why.isEmpty() ? "Say why: the organization sees the reason" : null;
  }
}
