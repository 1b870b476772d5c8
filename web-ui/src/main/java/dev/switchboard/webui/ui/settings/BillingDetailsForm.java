package dev.switchboard.webui.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.billing.BillingDetails;
import dev.switchboard.domain.billing.BillingDetailsService;
import dev.switchboard.domain.billing.InvalidBillingDetailsException;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.webui.ui.Notice;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The organization's billing details, which invoices issued from now on are addressed to. A part
 * that is not acceptable is marked on its field with the reason, and nothing is saved.
 */
class BillingDetailsForm extends VerticalLayout {

  private final Map<BillingDetails.Part, TextField> fields =
      new EnumMap<>(BillingDetails.Part.class);
  private final Notice notice = new Notice("billing-message");

  BillingDetailsForm(BillingDetailsService service, Actor actor, OrganizationId org) {
    setPadding(false);
    FormLayout form = new FormLayout();
    BillingDetails current = service.details(actor, org);
    field(form, BillingDetails.Part.LEGAL_NAME, "billing-legal-name", current.legalName());
    field(form, BillingDetails.Part.ADDRESS_LINE1, "billing-address-line1", current.addressLine1());
    field(form, BillingDetails.Part.ADDRESS_LINE2, "billing-address-line2", current.addressLine2());
    field(form, BillingDetails.Part.COUNTRY, "billing-country", current.country())
        .setHelperText("Two-letter ISO code, such as DE or US");
    field(form, BillingDetails.Part.TAX_ID, "billing-tax-id", current.taxId());
    field(form, BillingDetails.Part.BILLING_EMAIL, "billing-email", current.billingEmail())
        .setHelperText("Receipts go here too, besides the member who buys");
    Button save = new Button("Save billing details");
    save.setId("billing-save");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    save.addClickListener(click -> save(service, actor, org));
    add(form, save, notice);
  }

  private TextField field(
      FormLayout form, BillingDetails.Part part, String id, Optional<String> value) {
    TextField field = new TextField(part.label());
    field.setId(id);
    field.setMaxLength(part.maxLength());
    field.setValue(value.orElse(""));
    fields.put(part, field);
    form.add(field);
    return field;
  }

  private void save(BillingDetailsService service, Actor actor, OrganizationId org) {
    fields.values().forEach(field -> field.setInvalid(false));
    try {
      service.change(
          actor,
          org,
          BillingDetails.of(
              value(BillingDetails.Part.LEGAL_NAME),
              value(BillingDetails.Part.ADDRESS_LINE1),
              value(BillingDetails.Part.ADDRESS_LINE2),
              value(BillingDetails.Part.COUNTRY),
              value(BillingDetails.Part.TAX_ID),
              value(BillingDetails.Part.BILLING_EMAIL)));
      notice.success("Billing details saved: invoices from now on are addressed to them.");
    } catch (InvalidBillingDetailsException e) {
      TextField field = fields.get(e.part());
      field.setErrorMessage(e.getMessage());
      field.setInvalid(true);
      notice.error(e.getMessage());
    } catch (AccountRefusedException e) {
      notice.error(e.getMessage());
    }
  }

  private String value(BillingDetails.Part part) {
    return fields.get(part).getValue();
  }
}
