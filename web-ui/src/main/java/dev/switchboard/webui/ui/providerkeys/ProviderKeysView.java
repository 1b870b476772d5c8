package dev.switchboard.webui.ui.providerkeys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.api.byok.ProviderKeyService;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.byok.ProviderKey;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.Notice;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The selected organization's own provider keys (owners and admins): each catalog provider's key,
 * shown by its last four characters, added, rotated and deleted through the same path as {@code PUT
 * /byok/{provider}}, with the same rules.
 */
@Route(value = "provider-keys", layout = MainLayout.class)
@PageTitle("Provider keys · Switchboard")
@SignedInOnly(requires = Permission.MANAGE_PROVIDER_KEYS)
public class ProviderKeysView extends VerticalLayout {

  private final SignedInMember member = SignedInMember.current().orElseThrow();
  private final ProviderKeyService providerKeys;
  private final Grid<ProviderKeyRow> grid = new Grid<>();
  private final Button add = new Button("Add key", VaadinIcon.PLUS.create());
  private final Notice notice = new Notice("provider-keys-message");
  private final Paragraph empty =
      new Paragraph(
          "No provider keys yet. Add your organization's own API key for a provider, and it is"
              + " kept encrypted here.");
  private List<ProviderKeyRow> rows = List.of();

  @Inject
  public ProviderKeysView(ProviderKeyService providerKeys) {
    this.providerKeys = providerKeys;
    setSizeFull();
    add.setId("provider-key-add");
    add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    add.addClickListener(
        click -> ProviderKeyDialog.adding(providersWithoutKey(), saving("added")).open());
    HorizontalLayout header = new HorizontalLayout(new H2("Provider keys"), add);
    header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    header.setWidthFull();
    header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);
    empty.setId("provider-keys-empty");
    grid.setId("provider-keys-grid");
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.addColumn(ProviderKeyRow::provider).setHeader("Provider").setAutoWidth(true);
    grid.addColumn(ProviderKeyRow::baseUrl).setHeader("Base URL").setAutoWidth(true).setFlexGrow(1);
    grid.addColumn(ProviderKeyRow::last4).setHeader("Key").setAutoWidth(true);
    grid.addColumn(ProviderKeyRow::alwaysUse).setHeader("Always use").setAutoWidth(true);
    grid.addColumn(ProviderKeyRow::added).setHeader("Added").setAutoWidth(true);
    grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
    add(header, notice, empty, grid);
    setFlexGrow(1, grid);
    refresh();
  }

  private HorizontalLayout actions(ProviderKeyRow row) {
    String provider = row.key().provider();
    Button check = new Button("Test", click -> check(row));
    check.setId("provider-key-test-" + provider);
    check.setAriaLabel("Test the key for " + row.provider() + " with one cheap request");
    check.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    check.setDisableOnClick(true);
    Button rotate =
        new Button("Rotate", click -> ProviderKeyDialog.rotating(row, saving("rotated")).open());
    rotate.setId("provider-key-rotate-" + provider);
    rotate.setAriaLabel("Rotate the key for " + row.provider());
    rotate.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    Button delete =
        new Button("Delete", click -> new DeleteProviderKeyDialog(row, () -> delete(row)).open());
    delete.setId("provider-key-delete-" + provider);
    delete.setAriaLabel("Delete the key for " + row.provider());
    delete.addThemeVariants(
        ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
    return new HorizontalLayout(check, rotate, delete);
  }

  /** One cheap request through the key; what it showed goes to the notice. */
  private void check(ProviderKeyRow row) {
    try {
      ProviderKeyService.KeyCheck check =
          providerKeys.check(member.actor(), member.organization().orgId(), row.key().provider());
      if (check.works()) {
        notice.success(
            "The key for "
                + row.provider()
                + " works: "
                + check.model()
                + " answered in "
                + check.millis()
                + " ms.");
      } else {
        notice.error(
            "The key for "
                + row.provider()
                + " did not work: "
                + check.problem().orElse("no answer")
                + ".");
      }
    } catch (AccountRefusedException e) {
      notice.error(e.getMessage());
    }
    refresh();
  }

  /** Saves a dialog's request; the refusal's message when it was refused, and nothing stored. */
  private Function<ProviderKeyDialog.Request, Optional<String>> saving(String done) {
    return request -> {
      ProviderKey saved;
      try {
        saved =
            providerKeys.set(
                member.actor(),
                member.organization().orgId(),
                request.provider(),
                request.secret(),
                request.baseUrl(),
                request.alwaysUse());
      } catch (AccountRefusedException e) {
        return Optional.of(e.getMessage()); // its messages never carry the secret
      }
      refresh();
      String provider =
          rows.stream()
              .filter(row -> row.key().provider().equals(saved.provider()))
              .map(ProviderKeyRow::provider)
              .findFirst()
              .orElse(saved.provider());
      notice.success(
          "The key for " + provider + " is " + done + "; it ends in " + saved.last4() + ".");
      return Optional.empty();
    };
  }

  private void delete(ProviderKeyRow row) {
    try {
      providerKeys.delete(member.actor(), member.organization().orgId(), row.key().provider());
      notice.success("The key for " + row.provider() + " is deleted.");
    } catch (AccountRefusedException e) {
      notice.error(e.getMessage());
    }
    refresh();
  }

  private List<CatalogProvider> providersWithoutKey() {
    Set<String> withKey =
        rows.stream().map(row -> row.key().provider()).collect(Collectors.toSet());
    return providerKeys.providers().stream().filter(p -> !withKey.contains(p.slug())).toList();
  }

  private void refresh() {
    Map<String, String> names =
        providerKeys.providers().stream()
            .collect(Collectors.toMap(CatalogProvider::slug, CatalogProvider::name));
    rows =
        providerKeys.list(member.actor(), member.organization().orgId()).stream()
            .map(key -> new ProviderKeyRow(key, Optional.ofNullable(names.get(key.provider()))))
            .toList();
    grid.setItems(rows);
    grid.setVisible(!rows.isEmpty());
    empty.setVisible(rows.isEmpty());
    add.setEnabled(!providersWithoutKey().isEmpty());
  }
}
