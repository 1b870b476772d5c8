package dev.switchboard.webui.ui.keys;

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
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.WorkspaceService;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.KeyPatch;
import dev.switchboard.domain.keys.NewApiKey;
import dev.switchboard.domain.tenancy.Workspace;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The selected organization's API keys. */
@Route(value = "keys", layout = MainLayout.class)
@PageTitle("Keys · Switchboard")
@SignedInOnly
public class KeysView extends VerticalLayout {

  private final ApiKeyRepository keys;
  private final KeyAuthenticator authenticator;
  private final Clock clock;
  private final SwitchboardSettings settings;
  private final WorkspaceService workspaces;
  private final Grid<KeyRow> grid = new Grid<>();
  private Grid.Column<KeyRow> workspaceColumn;
  private final Paragraph empty =
      new Paragraph(
          "No keys yet. Create one to call the API: it works with the official OpenAI SDKs.");

  @Inject
  public KeysView(
      ApiKeyRepository keys,
      KeyAuthenticator authenticator,
      SwitchboardSettings settings,
      WorkspaceService workspaces,
      Clock clock) {
    this.keys = keys;
    this.workspaces = workspaces;
    this.settings = settings;
    this.authenticator = authenticator;
    this.clock = clock;
    setSizeFull();
    Button create = new Button("Create key", VaadinIcon.PLUS.create());
    create.setId("create-key");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    create.addClickListener(click -> new CreateKeyDialog(clock, workspaces(), this::create).open());
    HorizontalLayout header = new HorizontalLayout(new H2("Keys"), create);
    header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    header.setWidthFull();
    header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);
    empty.setId("keys-empty");
    grid.setId("keys-grid");
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.addColumn(KeyRow::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
    grid.addColumn(KeyRow::label).setHeader("Key").setAutoWidth(true);
    workspaceColumn = grid.addColumn(KeyRow::workspace).setHeader("Workspace").setAutoWidth(true);
    grid.addColumn(KeyRow::usageToday).setHeader("Today").setAutoWidth(true);
    grid.addColumn(KeyRow::usageWeek).setHeader("This week").setAutoWidth(true);
    grid.addColumn(KeyRow::usageMonth).setHeader("This month").setAutoWidth(true);
    grid.addColumn(KeyRow::limit).setHeader("Limit").setAutoWidth(true);
    grid.addColumn(KeyRow::status).setHeader("Status").setAutoWidth(true);
    grid.addColumn(KeyRow::lastUsed).setHeader("Last used").setAutoWidth(true);
    grid.addColumn(KeyRow::created).setHeader("Created").setAutoWidth(true);
    grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
    add(header, empty, grid);
    setFlexGrow(1, grid);
    refresh();
  }

  private Membership organization() {
    return member().organization();
  }

  private static SignedInMember member() {
    return SignedInMember.current().orElseThrow();
  }

  /** Owners and admins manage every key; other roles only those they created. */
  private static boolean manages(ApiKey key) {
    SignedInMember member = member();
    return member.organization().role().can(Permission.MANAGE_ALL_KEYS)
        || member.user().id().value().equals(key.createdBy());
  }

  private List<Workspace> workspaces() {
    return workspaces.list(member().actor(), organization().orgId());
  }

  private void create(CreateKeyDialog.Request request) {
    Membership org = organization();
    Workspace workspace =
        workspaces
            .find(member().actor(), org.orgId(), request.workspace().id())
            .orElseThrow(); // the dialog offers only the organization's own workspaces
    NewApiKey created =
        keys.createFor(
            org.orgId(), workspace.id(), request.settings(), member().user().id().value());
    refresh();
    new NewKeyDialog(created.plaintext(), settings.publicUrl() + "/api/v1").open();
  }

  private HorizontalLayout actions(KeyRow row) {
    ApiKey key = row.key();
    Button toggle =
        new Button(
            key.disabled() ? "Enable" : "Disable",
            click ->
                update(
                    key,
                    new KeyPatch(null, !key.disabled(), false, null, false, null, false, null)));
    toggle.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    Button limit =
        new Button("Limit", click -> new EditLimitDialog(key, patch -> update(key, patch)).open());
    limit.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    limit.setAriaLabel("Change the limit of " + key.name());
    toggle.setAriaLabel((key.disabled() ? "Enable " : "Disable ") + key.name());
    Button delete =
        new Button(
            "Delete",
            click -> {
              if (!manages(key)) {
                return;
              }
              keys.delete(organization().orgId(), key.hash());
              authenticator.invalidate(key.hash());
              refresh();
            });
    delete.addThemeVariants(
        ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
    delete.setAriaLabel("Delete " + key.name());
    return new HorizontalLayout(limit, toggle, delete);
  }

  private void update(ApiKey key, KeyPatch patch) {
    if (!manages(key)) {
      return; // the grid only lists keys the member manages; a stale row changes nothing
    }
    keys.update(organization().orgId(), key.hash(), patch);
    authenticator.invalidate(key.hash());
    refresh();
  }

  private void refresh() {
    Instant now = clock.instant();
    Map<UUID, String> names =
        workspaces().stream().collect(Collectors.toMap(Workspace::id, Workspace::name));
    List<KeyRow> rows =
        keys.listForOrg(organization().orgId()).stream()
            .filter(KeysView::manages)
            .map(key -> new KeyRow(key, names.get(key.workspaceId()), keys.usage(key), now))
            .toList();
    workspaceColumn.setVisible(names.size() > 1);
    grid.setItems(rows);
    grid.setVisible(!rows.isEmpty());
    empty.setVisible(rows.isEmpty());
  }
}
