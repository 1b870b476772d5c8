package dev.switchboard.webui.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.domain.money.Credits;
import java.util.Optional;
import java.util.function.Function;

/**
 * Confirms deleting an organization by having its name typed, and says what goes with it. The
 * dialog stays open with the reason when the deletion is refused.
 */
class DeleteOrganizationDialog extends Dialog {

  /**
   * @param delete deletes with the typed name; the reason when it was refused
   */
  DeleteOrganizationDialog(
      String name, Credits balance, Function<String, Optional<String>> delete) {
    setHeaderTitle("Delete " + name + "?");
    setId("delete-organization-dialog");
    TextField typed = new TextField("Type the organization's name to confirm");
    typed.setId("delete-organization-name");
    typed.setWidthFull();
    typed.setMaxLength(100);
    add(
        new Paragraph(
            "Its API keys stop working at once, every member loses access and pending invitations"
                + " end. This cannot be undone."
                + (balance.isPositive()
                    ? " Its remaining credits (" + balance + ") are forfeited."
                    : "")),
        typed);
    Paragraph refused = new Paragraph();
    refused.setId("delete-organization-refused");
    refused.getStyle().set("color", "var(--lumo-error-text-color)");
    refused.setVisible(false);
    add(refused);
    Button confirm =
        new Button(
            "Delete organization",
            click -> {
              Optional<String> reason = delete.apply(typed.getValue());
              if (reason.isEmpty()) {
                close();
              } else {
                refused.setText(reason.get());
                refused.setVisible(true);
              }
            });
    confirm.setId("delete-organization-confirm");
    confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
    getFooter().add(new Button("Cancel", click -> close()), confirm);
  }
}
