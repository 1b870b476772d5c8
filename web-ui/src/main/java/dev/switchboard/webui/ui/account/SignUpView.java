package dev.switchboard.webui.ui.account;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.inject.Inject;

/** Sign up with a name, an e-mail address and a password; the address is verified by a link. */
@Route(value = "signup", layout = MainLayout.class)
@PageTitle("Sign up · Switchboard")
public class SignUpView extends AccountForm {

  @Inject
  public SignUpView(AccountService accounts) {
    super("signup", "Create your account");
    TextField name = new TextField("Name");
    name.setId("signup-name");
    name.setMaxLength(100);
    EmailField email = new EmailField("E-mail");
    email.setId("signup-email");
    PasswordField password = newPasswordField("signup-password", "Password");
    Button submit = submitButton("signup-submit", "Create account");
    submit.addClickListener(
        click -> {
          try {
            accounts.signUp(email.getValue(), name.getValue(), password.getValue());
            password.clear();
            showInfo(
                "Check your inbox: we have sent a link to "
                    + email.getValue().trim()
                    + ". Open it to verify your address, then sign in.");
            submit.setEnabled(false);
          } catch (AccountRefusedException e) {
            showError(e.getMessage());
          }
        });
    Paragraph signIn = new Paragraph("Already have an account? ");
    signIn.add(new RouterLink("Sign in", SignInView.class));
    addFields(name, email, password, submit, signIn);
  }
}
