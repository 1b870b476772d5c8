package dev.switchboard.webui.ui.members;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import dev.switchboard.domain.accounts.Member;
import java.util.List;
import java.util.function.Consumer;

/**
 * Confirms removing a member, and asks what becomes of the keys they created: disabled, or given to
 * another member, whose keys they then are and who can keep using them.
 */
class RemoveMemberDialog extends Dialog {

  RemoveMemberDialog(Member leaving, List<Member> others, Consumer<Member> remove) {
    setHeaderTitle("Remove " + leaving.email() + "?");
    setId("remove-member-dialog");
    Select<Member> heir = new Select<>();
    heir.setId("remove-member-heir");
    heir.setLabel("The keys they created");
    heir.setItems(others);
    heir.setEmptySelectionAllowed(true);
    heir.setEmptySelectionCaption("Disable them");
    heir.setItemLabelGenerator(m -> m == null ? "Disable them" : "Give them to " + m.email());
    heir.setWidthFull();
    add(
        new Paragraph(
            "They lose access to this organization at once. Keys given to another member keep"
                + " working; disabled keys can be enabled again on the Keys page."),
        heir);
    Button confirm =
        new Button(
            "Remove",
            click -> {
              remove.accept(heir.getValue());
              close();
            });
    confirm.setId("remove-member-confirm");
    confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
    getFooter().add(new Button("Cancel", click -> close()), confirm);
  }
}
