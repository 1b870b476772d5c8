package dev.switchboard.webui.ui.account;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import dev.switchboard.domain.accounts.PasswordPolicy;

/**
 * The frame of every account page: a narrow column (it fits a 390 px screen) with a title, the
 * fields, and one message line that says what happened, in words for the person.
 */
class AccountForm extends VerticalLayout {

  private final Paragraph message = new Paragraph();

  AccountForm(String id, String title) {
    setId(id);
    setMaxWidth("28em");
    setWidthFull();
    getStyle().set("margin", "0 auto");
    setDefaultHorizontalComponentAlignment(FlexComponent.Alignment.STRETCH);
    message.setId(id + "-message");
    message.setVisible(false);
    add(new H2(title));
  }

  /** The form's primary button, also pressed by Enter. */
  static Button submitButton(String id, String text) {
    Button submit = new Button(text);
    submit.setId(id);
    submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    submit.addClickShortcut(Key.ENTER);
    return submit;
  }

  /** A field for choosing a password, saying what the policy asks. */
  static PasswordField newPasswordField(String id, String label) {
    PasswordField password = new PasswordField(label);
    password.setId(id);
    password.setHelperText("At least " + PasswordPolicy.MIN_LENGTH + " characters");
    return password;
  }

  /** Adds the form's fields and buttons, then the message line. */
  void addFields(Component... fields) {
    add(fields);
    add(message);
  }

  void showError(String text) {
    show(text, "var(--lumo-error-text-color)");
  }

  void showInfo(String text) {
    show(text, "var(--lumo-success-text-color)");
  }

  private void show(String text, String color) {
    message.setText(text);
    message.getStyle().set("color", color);
    message.setVisible(true);
  }
}
