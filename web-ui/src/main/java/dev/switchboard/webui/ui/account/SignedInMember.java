package dev.switchboard.webui.ui.account;

import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.User;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * Who is signed in to this browser session, and in which of their organizations they act. Every
 * signed-in view reads the organization from here, and only from here.
 */
public final class SignedInMember implements Serializable {

  private static final String RETURN_TO = "switchboard.return-after-sign-in";

  private final String sessionToken;
  private final User user;
  private List<Membership> memberships;
  private Membership selected;

  private SignedInMember(String sessionToken, User user, List<Membership> memberships) {
    this.sessionToken = sessionToken;
    this.user = user;
    this.memberships = List.copyOf(memberships);
    this.selected =
        memberships.stream()
            .filter(m -> m.orgId().equals(user.personalOrgId()))
            .findFirst()
            .orElse(memberships.get(0));
  }

  public static Optional<SignedInMember> current() {
    VaadinSession session = VaadinSession.getCurrent();
    return session == null
        ? Optional.empty()
        : Optional.ofNullable(session.getAttribute(SignedInMember.class));
  }

  /**
   * Starts the member's browser session under a new session id (so an id planted before sign-in is
   * worth nothing after it).
   */
  public static void begin(AccountService.SignedIn signedIn, List<Membership> memberships) {
    VaadinService.reinitializeSession(VaadinRequest.getCurrent());
    VaadinSession.getCurrent()
        .setAttribute(
            SignedInMember.class,
            new SignedInMember(signedIn.sessionToken(), signedIn.user(), memberships));
  }

  /** Where sign-in leads next in this browser session (an invitation waiting to be accepted). */
  public static void returnAfterSignIn(String location) {
    VaadinSession.getCurrent().setAttribute(RETURN_TO, location);
  }

  /** The location to go to after signing in, once; empty for the default page. */
  public static Optional<String> takeReturnLocation() {
    VaadinSession session = VaadinSession.getCurrent();
    Optional<String> location = Optional.ofNullable((String) session.getAttribute(RETURN_TO));
    session.setAttribute(RETURN_TO, null);
    return location;
  }

  /** Forgets the member in this browser session (the caller ends the stored session). */
  public static void end() {
    VaadinSession session = VaadinSession.getCurrent();
    if (session != null) {
      session.setAttribute(SignedInMember.class, null);
      session.getSession().invalidate();
    }
  }

  public String sessionToken() {
    return sessionToken;
  }

  public User user() {
    return user;
  }

  /** The member as the one who asks for changes to an organization. */
  public Actor actor() {
    return Actor.member(user.id());
  }

  public List<Membership> memberships() {
    return memberships;
  }

  /** The organization every signed-in view acts in. */
  public Membership organization() {
    return selected;
  }

  /** Acts in another of the member's organizations; one they do not belong to is ignored. */
  public void select(Membership membership) {
    memberships.stream()
        .filter(m -> m.orgId().equals(membership.orgId()))
        .findFirst()
        .ifPresent(m -> selected = m);
  }

  /** Takes the member's organizations and roles as they are now. */
  public void refresh(List<Membership> now) {
    memberships = List.copyOf(now);
    selected =
        now.stream()
            .filter(m -> m.orgId().equals(selected.orgId()))
            .findFirst()
            .orElseGet(() -> now.get(0));
  }
}
