package dev.switchboard.webui.ui.account;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.inject.Inject;

/** Where the e-mailed verification link lands: proves the address, once. */
@Route(value = "verify-email", layout = MainLayout.class)
@PageTitle("Verify your e-mail · Switchboard")
public class VerifyEmailView extends AccountForm implements BeforeEnterObserver {

  private final AccountService accounts;

  @Inject
  public VerifyEmailView(AccountService accounts) {
    super("verify", "Verify your e-mail address");
    this.accounts = accounts;
    addFields(new RouterLink("Sign in", SignInView.class));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String token = event.getLocation().getQueryParameters().getSingleParameter("token").orElse("");
    try {
      showInfo(
          "Your address " + accounts.verifyEmail(token).email() + " is verified. Sign in below.");
    } catch (AccountRefusedException e) {
      showError(e.getMessage());
    }
  }
}
