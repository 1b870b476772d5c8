package dev.switchboard.webui.ui.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeyPatch;
import java.util.function.Consumer;

/** Changes a key's spending limit and its reset period; an empty amount removes the limit. */
class EditLimitDialog extends Dialog {

  EditLimitDialog(ApiKey key, Consumer<KeyPatch> save) {
    setHeaderTitle("Limit of " + key.name());
    setId("edit-limit-dialog");
    LimitFields fields = new LimitFields("edit-key", key.limit(), key.limitReset());
    Paragraph error = new Paragraph();
    error.setId("edit-key-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    error.setVisible(false);
    add(fields.amount, fields.reset, error);
    Button submit = new Button("Save");
    submit.setId("edit-key-submit");
    submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    submit.addClickListener(
        click ->
            fields
                .read(
                    message -> {
                      error.setText(message);
                      error.setVisible(true);
                    })
                .ifPresent(
                    choice -> {
                      save.accept(
                          new KeyPatch(
                              null, null, true, choice.limit(), true, choice.reset(), false, null));
                      close();
                    }));
    getFooter().add(new Button("Cancel", click -> close()), submit);
  }
}
