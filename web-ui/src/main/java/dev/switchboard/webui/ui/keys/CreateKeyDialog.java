package dev.switchboard.webui.ui.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.tenancy.Workspace;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Asks for a new key's name, workspace (when the organization has more than its default one),
 * spending limit, reset period and expiry.
 */
class CreateKeyDialog extends Dialog {

  /** What the dialog asks for: the key's settings and the workspace it goes in. */
  record Request(KeySettings settings, Workspace workspace) {}

  private final TextField name = new TextField("Name");
  private final Select<Workspace> workspace = new Select<>();
  private final LimitFields limit = new LimitFields("create-key", null, null);
  private final DatePicker expires = new DatePicker("Expires on (UTC)");
  private final Paragraph error = new Paragraph();
  private final Clock clock;

  CreateKeyDialog(Clock clock, List<Workspace> workspaces, Consumer<Request> create) {
    this.clock = clock;
    setHeaderTitle("Create a key");
    setId("create-key-dialog");
    name.setId("create-key-name");
    name.setMaxLength(200);
    name.setRequired(true);
    workspace.setId("create-key-workspace");
    workspace.setLabel("Workspace");
    workspace.setItems(workspaces);
    workspace.setItemLabelGenerator(Workspace::name);
    workspace.setValue(workspaces.stream().filter(Workspace::isDefault).findFirst().orElseThrow());
    workspace.setVisible(workspaces.size() > 1);
    expires.setId("create-key-expires");
    expires.setMin(LocalDate.now(clock).plusDays(1));
    error.setId("create-key-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    error.setVisible(false);
    FormLayout form = new FormLayout(name, workspace, limit.amount, limit.reset, expires);
    form.setResponsiveSteps(
        new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("30em", 2));
    add(form, error);
    Button submit = new Button("Create");
    submit.setId("create-key-submit");
    submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    submit.addClickListener(click -> settings().ifPresent(create.andThen(ok -> close())));
    Button cancel = new Button("Cancel", click -> close());
    getFooter().add(cancel, submit);
  }

  private Optional<Request> settings() {
    String keyName = name.getValue().strip();
    if (keyName.isEmpty()) {
      return refuse("Give the key a name, so you can tell it from the others");
    }
    Optional<LimitFields.Choice> choice = limit.read(this::refuse);
    if (choice.isEmpty()) {
      return Optional.empty();
    }
    LocalDate day = expires.getValue();
    if (expires.isInvalid() || (day != null && !day.isAfter(LocalDate.now(clock)))) {
      return refuse("The expiry must be a day in the future");
    }
    return Optional.of(
        new Request(
            new KeySettings(
                keyName,
                choice.get().limit(),
                choice.get().reset(),
                day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant()),
            workspace.getValue()));
  }

  private <T> Optional<T> refuse(String message) {
    error.setText(message);
    error.setVisible(true);
    return Optional.empty();
  }
}
