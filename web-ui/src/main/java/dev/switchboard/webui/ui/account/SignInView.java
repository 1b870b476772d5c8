package dev.switchboard.webui.ui.account;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinRequest;
import dev.switchboard.api.http.ClientAddress;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.keys.KeysView;
import jakarta.inject.Inject;

/**
 * Sign in with e-mail and password, or, when single sign-on is configured, through the identity
 * provider; then the Keys page of the personal organization.
 */
@Route(value = "signin", layout = MainLayout.class)
@PageTitle("Sign in · Switchboard")
public class SignInView extends AccountForm {

  @Inject
  public SignInView(
      AccountService accounts,
      UserRepository users,
      ClientAddress clients,
      SwitchboardSettings settings) {
    super("signin", "Sign in");
    EmailField email = new EmailField("E-mail");
    email.setId("signin-email");
    PasswordField password = new PasswordField("Password");
    password.setId("signin-password");
    Button submit = submitButton("signin-submit", "Sign in");
    submit.addClickListener(
        click -> {
          try {
            AccountService.SignedIn signedIn =
                accounts.signIn(
                    email.getValue(),
                    password.getValue(),
                    clients.of(
                        VaadinRequest.getCurrent().getRemoteAddr(),
                        VaadinRequest.getCurrent().getHeader("X-Forwarded-For")));
            SignedInMember.begin(signedIn, users.memberships(signedIn.user().id()));
            SignedInMember.takeReturnLocation()
                .ifPresentOrElse(
                    location -> UI.getCurrent().navigate(location),
                    () -> UI.getCurrent().navigate(KeysView.class));
          } catch (AccountRefusedException e) {
            password.clear();
            showError(e.getMessage());
          }
        });
    Paragraph links = new Paragraph();
    links.add(new RouterLink("Forgot your password?", ForgotPasswordView.class));
    links.add(" · New here? ");
    links.add(new RouterLink("Create an account", SignUpView.class));
    if (settings.oidc().isPresent()) {
      // a full page load: the servlet sends the browser on to the identity provider
      Button sso =
          new Button(
              "Sign in with SSO", click -> UI.getCurrent().getPage().setLocation("/sso/signin"));
      sso.setId("signin-sso");
      addFields(email, password, submit, sso, links);
    } else {
      addFields(email, password, submit, links);
    }
  }
}
