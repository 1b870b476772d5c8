package dev.switchboard.webui.ui.account;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.inject.Inject;

/** Where the e-mailed reset link lands: choose a new password, once. */
@Route(value = "reset-password", layout = MainLayout.class)
@PageTitle("Choose a new password · Switchboard")
public class ResetPasswordView extends AccountForm implements BeforeEnterObserver {

  private String token = "";

  @Inject
  public ResetPasswordView(AccountService accounts) {
    super("reset", "Choose a new password");
    PasswordField password = newPasswordField("reset-password", "New password");
    Button submit = submitButton("reset-submit", "Set password");
    submit.addClickListener(
        click -> {
          try {
            accounts.resetPassword(token, password.getValue());
            showInfo("Your password is changed and you are signed out everywhere. Sign in again.");
            submit.setEnabled(false);
          } catch (AccountRefusedException e) {
            showError(e.getMessage());
          } finally {
            password.clear();
          }
        });
    addFields(password, submit, new RouterLink("Sign in", SignInView.class));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    token = event.getLocation().getQueryParameters().getSingleParameter("token").orElse("");
  }
}
