package dev.switchboard.webui.ui.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.WorkspaceService;
import dev.switchboard.domain.tenancy.Workspace;
import dev.switchboard.webui.ui.FormRow;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.Notice;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The selected organization's workspaces, which hold its keys; owners and admins create them. Keys
 * are put in one when they are created on the Keys page.
 */
@Route(value = "workspaces", layout = MainLayout.class)
@PageTitle("Workspaces · Switchboard")
@SignedInOnly
public class WorkspacesView extends VerticalLayout {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final WorkspaceService workspaces;
  private final SignedInMember member = SignedInMember.current().orElseThrow();
  private final Grid<Workspace> grid = new Grid<>();
  private final Notice message = new Notice("workspaces-message");

  @Inject
  public WorkspacesView(WorkspaceService workspaces) {
    this.workspaces = workspaces;
    grid.setId("workspaces-grid");
    grid.addColumn(Workspace::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
    grid.addColumn(w -> w.isDefault() ? "Default" : "").setHeader("").setAutoWidth(true);
    grid.addColumn(w -> DAY.format(w.createdAt())).setHeader("Created").setAutoWidth(true);
    grid.setAllRowsVisible(true);
    add(
        new H2("Workspaces of " + member.organization().orgName()),
        new Paragraph(
            "Workspaces group an organization's keys, for example by team or project. New keys"
                + " go to the default workspace unless you choose another when you create them."),
        message,
        grid);
    if (member.organization().role().can(Permission.MANAGE_WORKSPACES)) {
      add(new H3("Create a workspace"), createForm());
    }
    refresh();
  }

  private FlexLayout createForm() {
    TextField name = new TextField("Name");
    name.setId("workspace-name");
    name.setMaxLength(100);
    Button create = new Button("Create workspace");
    create.setId("workspace-create");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    create.addClickListener(
        click -> {
          try {
            Workspace created =
                workspaces.create(member.actor(), member.organization().orgId(), name.getValue());
            name.clear();
            message.success(created.name() + " is created.");
          } catch (AccountRefusedException e) {
            message.error(e.getMessage());
          }
          refresh();
        });
    return FormRow.of(name, create);
  }

  private void refresh() {
    try {
      grid.setItems(workspaces.list(member.actor(), member.organization().orgId()));
    } catch (AccountRefusedException e) {
      message.error(e.getMessage()); // removed from the organization meanwhile
    }
  }
}
