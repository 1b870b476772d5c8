package dev.switchboard.webui.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.OrganizationSettings;
import dev.switchboard.domain.accounts.OrganizationSettingsService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.webui.ui.FormRow;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The selected organization's settings. Owners and admins rename it and (when single sign-on is
 * configured, for a team organization) require its members to sign in through it; owners and
 * billing members edit its billing details; an owner can delete a team organization here.
 */
@Route(value = "settings", layout = MainLayout.class)
@PageTitle("Settings · Switchboard")
@SignedInOnly(requiresAny = {Permission.MANAGE_SETTINGS, Permission.MANAGE_BILLING_DETAILS})
public class SettingsView extends VerticalLayout {

  private final SignedInMember member = SignedInMember.current().orElseThrow();
  private final UserRepository users;
  private final Paragraph message = new Paragraph();

  @Inject
  public SettingsView(
      OrganizationSettingsService service,
      UserRepository users,
      SwitchboardSettings settings,
      Ledger ledger,
      KeyAuthenticator authenticator,
      PaymentServices payments) {
    this.users = users;
    setMaxWidth("40em");
    OrganizationSettings current =
        service.settings(member.user().id(), member.organization().orgId());
    Role role = member.organization().role();
    message.setId("settings-message");
    message.setVisible(false);

    TextField name = new TextField("Organization name");
    name.setId("settings-name");
    name.setMaxLength(100);
    name.setValue(current.name());
    Button rename = new Button("Rename");
    rename.setId("settings-rename");
    rename.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    rename.addClickListener(
        click ->
            act(
                () ->
                    "The organization is now called "
                        + service.rename(member.user().id(), current.id(), name.getValue()).name()
                        + "."));
    add(new H2("Settings"), message);
    if (role.can(Permission.MANAGE_SETTINGS)) {
      add(FormRow.of(name, rename));
    }

    if (role.can(Permission.MANAGE_SETTINGS)
        && settings.oidc().isPresent()
        && !current.personal()) {
      Checkbox requireSso = new Checkbox("Require single sign-on", current.requireSso());
      requireSso.setId("settings-require-sso");
      requireSso.setHelperText(
          "Members then sign in with SSO only: password sign-in is refused for them.");
      requireSso.addValueChangeListener(
          change -> {
            if (!change.isFromClient()) {
              return;
            }
            boolean applied =
                act(
                    () ->
                        service
                                .requireSingleSignOn(
                                    member.user().id(), current.id(), change.getValue())
                                .requireSso()
                            ? "Members must now sign in with SSO."
                            : "Members may sign in with a password again.");
            if (!applied) {
              requireSso.setValue(change.getOldValue());
            }
          });
      add(new H3("Single sign-on"), requireSso);
    }

    if (role.can(Permission.MANAGE_BILLING_DETAILS)) {
      add(
          new H3("Billing details"),
          new Paragraph(
              "Invoices are addressed to these details as they are when a purchase is credited;"
                  + " changing them does not change invoices already issued."),
          new BillingDetailsForm(payments.billingDetails(), member.actor(), current.id()));
    }

    if (!current.personal() && member.organization().role().can(Permission.DELETE_ORGANIZATION)) {
      Button delete =
          new Button(
              "Delete organization…",
              click ->
                  new DeleteOrganizationDialog(
                          current.name(),
                          ledger.balance(current.id()).balance(),
                          typed -> delete(service, authenticator, current, typed))
                      .open());
      delete.setId("settings-delete");
      delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
      add(
          new H3("Delete organization"),
          new Paragraph(
              "Deleting it ends every member's access and every key's; its usage history stays"
                  + " in the ledger."),
          delete);
    }
  }

  /**
   * Deletes the organization and goes to the Keys page of the one now selected; the reason when it
   * was refused.
   */
  private Optional<String> delete(
      OrganizationSettingsService service,
      KeyAuthenticator authenticator,
      OrganizationSettings current,
      String typed) {
    try {
      service.delete(member.user().id(), current.id(), typed).forEach(authenticator::invalidate);
    } catch (AccountRefusedException e) {
      return Optional.of(e.getMessage());
    }
    member.refresh(users.memberships(member.user().id()));
    Notification.show(current.name() + " was deleted.");
    getUI().ifPresent(ui -> ui.navigate("keys"));
    return Optional.empty();
  }

  /** Runs a change and says how it went; true when it was made. */
  private boolean act(Supplier<String> change) {
    boolean applied;
    try {
      show(change.get(), "var(--lumo-success-text-color)");
      applied = true;
    } catch (AccountRefusedException e) {
      show(e.getMessage(), "var(--lumo-error-text-color)");
      applied = false;
    }
    member.refresh(users.memberships(member.user().id()));
    return applied;
  }

  private void show(String text, String color) {
    message.setText(text);
    message.getStyle().set("color", color);
    message.setVisible(true);
  }
}
