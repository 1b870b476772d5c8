package dev.switchboard.webui.ui.account;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.WrappedSession;
import dev.switchboard.api.sso.SingleSignOnServlet;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.accounts.SingleSignOnService;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.domain.accounts.VerifiedIdentity;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.keys.KeysView;
import jakarta.inject.Inject;

/**
 * Where the single sign-on servlet sends the browser back: signs in the identity it verified, as
 * the password form does (new session id, then the Keys page), or says why it cannot.
 */
@Route(value = "signin/sso", layout = MainLayout.class)
@PageTitle("Single sign-on · Switchboard")
public class SingleSignOnView extends AccountForm implements BeforeEnterObserver {

  private final SingleSignOnService sso;
  private final UserRepository users;

  @Inject
  public SingleSignOnView(SingleSignOnService sso, UserRepository users) {
    super("signin-sso-page", "Single sign-on");
    this.sso = sso;
    this.users = users;
    addFields(new Paragraph(new RouterLink("Back to sign in", SignInView.class)));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    WrappedSession http = VaadinSession.getCurrent().getSession();
    VerifiedIdentity identity =
        (VerifiedIdentity) http.getAttribute(SingleSignOnServlet.IDENTITY_ATTRIBUTE);
    String failure = (String) http.getAttribute(SingleSignOnServlet.FAILURE_ATTRIBUTE);
    http.removeAttribute(SingleSignOnServlet.IDENTITY_ATTRIBUTE); // one sign-in per flow
    http.removeAttribute(SingleSignOnServlet.FAILURE_ATTRIBUTE);
    if (identity != null) {
      try {
        AccountService.SignedIn signedIn = sso.signIn(identity);
        SignedInMember.begin(signedIn, users.memberships(signedIn.user().id()));
        SignedInMember.takeReturnLocation()
            .ifPresentOrElse(event::forwardTo, () -> event.forwardTo(KeysView.class));
        return;
      } catch (AccountRefusedException e) {
        failure = e.getMessage();
      }
    }
    showError(
        failure != null
            ? failure
            : "No single sign-on is waiting to finish here: start it from the sign-in page.");
  }
}
