package dev.switchboard.webui.ui.providerkeys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.catalog.CatalogProvider;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Asks for a provider key: the provider (when adding one), the secret, an optional base URL and
 * whether to always use it. Saving hands the request on and shows why it was refused, if it was;
 * the secret is cleared from the dialog once it is saved, and is never shown in clear.
 */
class ProviderKeyDialog extends Dialog {

  /** What the dialog asks for. Its text form leaves the secret out. */
  record Request(String provider, String secret, Optional<String> baseUrl, boolean alwaysUse) {
    @Override
    public String toString() {
      return "Request[provider="
          + provider
          + ", baseUrl="
          + baseUrl
          + ", alwaysUse="
          + alwaysUse
          + "]";
    }
  }

  private final Select<CatalogProvider> provider = new Select<>();
  private final PasswordField secret = new PasswordField("API key");
  private final TextField baseUrl = new TextField("Base URL (optional)");
  private final Checkbox alwaysUse = new Checkbox("Always use this key");
  private final Paragraph error = new Paragraph();
  private final String fixedProvider;

  /** Adds a key for one of the providers that have none yet. */
  static ProviderKeyDialog adding(
      List<CatalogProvider> withoutKey, Function<Request, Optional<String>> save) {
    return new ProviderKeyDialog("Add a provider key", withoutKey, null, save);
  }

  /** Replaces the secret of an existing key, and optionally its base URL and always-use flag. */
  static ProviderKeyDialog rotating(ProviderKeyRow row, Function<Request, Optional<String>> save) {
    ProviderKeyDialog dialog =
        new ProviderKeyDialog(
            "Rotate the key for " + row.provider(), List.of(), row.key().provider(), save);
    dialog.baseUrl.setValue(row.key().baseUrl().orElse(""));
    dialog.alwaysUse.setValue(row.key().alwaysUse());
    return dialog;
  }

  private ProviderKeyDialog(
      String title,
      List<CatalogProvider> providers,
      String fixedProvider,
      Function<Request, Optional<String>> save) {
    this.fixedProvider = fixedProvider;
    setHeaderTitle(title);
    setId("provider-key-dialog");
    provider.setId("provider-key-provider");
    provider.setLabel("Provider");
    provider.setItems(providers);
    provider.setItemLabelGenerator(p -> p.name() + " (" + p.slug() + ")");
    provider.setVisible(fixedProvider == null);
    secret.setId("provider-key-secret");
    secret.setRequired(true);
    secret.setRevealButtonVisible(false); // the secret is never shown in clear, even while typed
    secret.setHelperText(
        fixedProvider == null
            ? "Stored encrypted; afterwards only its last four characters are shown."
            : "The new key replaces the old one at once.");
    baseUrl.setId("provider-key-base-url");
    baseUrl.setMaxLength(BaseUrlGuard.MAX_LENGTH);
    baseUrl.setPlaceholder("https://…");
    baseUrl.setHelperText("Empty for the provider's own; https, public addresses only.");
    alwaysUse.setId("provider-key-always-use");
    error.setId("provider-key-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    error.setVisible(false);
    FormLayout form = new FormLayout(provider, secret, baseUrl, alwaysUse);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
    form.setMaxWidth("30em");
    add(form, error);
    Button submit = new Button(fixedProvider == null ? "Save" : "Rotate");
    submit.setId("provider-key-save");
    submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    submit.addClickListener(click -> request().ifPresent(request -> submit(request, save)));
    Button cancel = new Button("Cancel", click -> closeClearing());
    cancel.setId("provider-key-cancel");
    getFooter().add(cancel, submit);
  }

  private void submit(Request request, Function<Request, Optional<String>> save) {
    Optional<String> refusal = save.apply(request);
    if (refusal.isPresent()) {
      refuse(refusal.get());
    } else {
      closeClearing();
    }
  }

  private Optional<Request> request() {
    String slug = fixedProvider != null ? fixedProvider : chosenProvider();
    if (slug == null) {
      return refuse("Choose the provider this key is for");
    }
    if (secret.getValue().isEmpty()) {
      return refuse("Paste the provider's API key");
    }
    String url = baseUrl.getValue().strip();
    return Optional.of(
        new Request(
            slug,
            secret.getValue(),
            url.isEmpty() ? Optional.empty() : Optional.of(url),
            alwaysUse.getValue()));
  }

  private String chosenProvider() {
    return provider.getValue() == null ? null : provider.getValue().slug();
  }

  private <T> Optional<T> refuse(String message) {
    error.setText(message);
    error.setVisible(true);
    return Optional.empty();
  }

  /** Closes the dialog without leaving the secret in its field. */
  private void closeClearing() {
    secret.clear();
    close();
  }
}
