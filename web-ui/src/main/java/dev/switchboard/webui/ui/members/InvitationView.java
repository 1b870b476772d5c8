package dev.switchboard.webui.ui.members;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Invitation;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignInView;
import dev.switchboard.webui.ui.account.SignUpView;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.keys.KeysView;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Where an invitation link lands: says who invited whom to what, and lets the invited person accept
 * (after signing up or in with the invited address, which brings them back here).
 */
@Route(value = "invitation", layout = MainLayout.class)
@PageTitle("Invitation · Switchboard")
public class InvitationView extends VerticalLayout implements BeforeEnterObserver {

  private final MembershipService memberships;
  private final UserRepository users;
  private final Paragraph message = new Paragraph();

  @Inject
  public InvitationView(MembershipService memberships, UserRepository users) {
    this.memberships = memberships;
    this.users = users;
    setId("invitation");
    setMaxWidth("32em");
    getStyle().set("margin", "0 auto");
    message.setId("invitation-message");
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    removeAll();
    add(new H2("Invitation"), message);
    String token = event.getLocation().getQueryParameters().getSingleParameter("token").orElse("");
    Optional<Invitation> found = memberships.findInvitation(token);
    if (found.isEmpty()) {
      message.setText(
          "This invitation is not valid: it was used already, withdrawn or has expired. Ask for a"
              + " new one.");
      return;
    }
    Invitation invitation = found.get();
    message.setText(
        invitation.invitedBy()
            + " invited "
            + invitation.email()
            + " to join "
            + invitation.orgName()
            + " as "
            + invitation.role().wireName()
            + ".");
    Optional<SignedInMember> member = SignedInMember.current();
    if (member.isEmpty()) {
      SignedInMember.returnAfterSignIn(event.getLocation().getPathWithQueryParameters());
      Paragraph next = new Paragraph("To accept, ");
      next.add(new RouterLink("create an account", SignUpView.class));
      next.add(" or ");
      next.add(new RouterLink("sign in", SignInView.class));
      next.add(" as " + invitation.email() + "; you come back here after signing in.");
      add(next);
      return;
    }
    Button accept = new Button("Accept and join " + invitation.orgName());
    accept.setId("invitation-accept");
    accept.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    accept.addClickListener(
        click -> {
          try {
            SignedInMember signedIn = member.get();
            Membership joined = memberships.accept(token, signedIn.user().id());
            signedIn.refresh(users.memberships(signedIn.user().id()));
            signedIn.select(joined);
            UI.getCurrent().navigate(KeysView.class);
          } catch (AccountRefusedException e) {
            message.setText(e.getMessage());
            accept.setEnabled(false);
          }
        });
    add(accept);
  }
}
