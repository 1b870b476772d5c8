package dev.switchboard.webui.ui.account;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.inject.Inject;

/** Asks for a reset link; the answer is the same whether the address has an account or not. */
@Route(value = "forgot-password", layout = MainLayout.class)
@PageTitle("Forgot your password · Switchboard")
public class ForgotPasswordView extends AccountForm {

  @Inject
  public ForgotPasswordView(AccountService accounts) {
    super("forgot", "Reset your password");
    EmailField email = new EmailField("E-mail");
    email.setId("forgot-email");
    Button submit = submitButton("forgot-submit", "Send me a link");
    submit.addClickListener(
        click -> {
          try {
            accounts.requestPasswordReset(email.getValue());
            showInfo(
                "If an account uses this address, we have sent it a link to choose a new"
                    + " password. It works once, for 30 minutes.");
          } catch (AccountRefusedException e) {
            showError(e.getMessage());
          }
        });
    addFields(email, submit);
  }
}
