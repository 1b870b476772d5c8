package dev.switchboard.webui.ui.providerkeys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;

/** Confirms deleting a provider key. */
class DeleteProviderKeyDialog extends Dialog {

  DeleteProviderKeyDialog(ProviderKeyRow row, Runnable delete) {
    setHeaderTitle("Delete the key for " + row.provider() + "?");
    setId("delete-provider-key-dialog");
    add(
        new Paragraph(
            "The key ending in "
                + row.last4()
                + " is deleted at once; it cannot be shown or restored. The provider's key itself"
                + " stays valid at the provider until you revoke it there."));
    Button confirm =
        new Button(
            "Delete",
            click -> {
              delete.run();
              close();
            });
    confirm.setId("delete-provider-key-confirm");
    confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
    getFooter().add(new Button("Cancel", click -> close()), confirm);
  }
}
