package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleSignOnServiceTest {

  private static final String ISSUER = "https://idp.test/realms/acme";
  private static final String PASSWORD = AccountsFixture.PASSWORD;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final List<OutgoingMail> outbox = people.outbox;
  private final UserRepository users = people.users;
  private final SessionRepository sessions = people.sessions;
  private final AccountService accounts = people.accounts;
  private final SingleSignOnService sso =
      new SingleSignOnService(db.accountTransactions, users, db.organizations, sessions, clock);
  private final MembershipService memberships = people.memberships;
  private final OrganizationSettingsService settings =
      new OrganizationSettingsService(db.accountTransactions, users, db.clock);

  @Test
  void aFirstSignInCreatesAVerifiedUserWithoutPasswordAndAPersonalOrganization() {
    AccountService.SignedIn signedIn =
        sso.signIn(identity("sub-ada", "Ada@Example.com", true, "Ada Lovelace"));

    User ada = signedIn.user();
    assertThat(ada.email()).isEqualTo("ada@example.com");
    assertThat(ada.displayName()).isEqualTo("Ada Lovelace");
    assertThat(users.find(ada.id()).orElseThrow().emailVerified()).isTrue();
    assertThat(users.memberships(ada.id()))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.orgId()).isEqualTo(ada.personalOrgId());
              assertThat(m.role()).isEqualTo(Role.OWNER);
            });
    assertThat(accounts.currentUser(signedIn.sessionToken())).map(User::id).contains(ada.id());
    // no password was set, so none signs in
    assertThatThrownBy(() -> accounts.signIn("ada@example.com", "", "127.0.0.1"))
        .isInstanceOf(AccountRefusedException.class);
  }

  @Test
  void theSameIdentitySignsInAsTheSameUserWhateverItsAddressBecomes() {
    User first = sso.signIn(identity("sub-ada", "ada@example.com", true, "Ada")).user();
    User again = sso.signIn(identity("sub-ada", "ada@elsewhere.example", false, "Ada")).user();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(db.count("users")).isEqualTo(1);
    assertThat(users.findByIdentity(ISSUER, "sub-ada")).map(User::id).contains(first.id());
    // another provider's identity with the same subject is someone else
    assertThat(users.findByIdentity("https://other.test", "sub-ada")).isEmpty();
  }

  @Test
  void linksToTheLocalAccountOnlyWhenBothHaveVerifiedTheAddress() {
    User local = verifiedUser("ada@example.com");

    User signedIn = sso.signIn(identity("sub-ada", "ADA@example.com", true, "Ada")).user();

    assertThat(signedIn.id()).isEqualTo(local.id());
    assertThat(db.count("users")).isEqualTo(1);
    assertThat(users.findByIdentity(ISSUER, "sub-ada")).map(User::id).contains(local.id());
  }

  @Test
  void refusesAnAddressTheProviderHasNotVerifiedAndLinksNothing() {
    User local = verifiedUser("ada@example.com");

    assertThatThrownBy(() -> sso.signIn(identity("sub-mallory", "ada@example.com", false, "A")))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("has not verified your e-mail address");
    assertThatThrownBy(() -> sso.signIn(identity("sub-nobody", null, true, "A")))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(users.findByIdentity(ISSUER, "sub-mallory")).isEmpty();
    assertThat(db.count("user_identities")).isZero();
    assertThat(db.count("users")).isEqualTo(1);
    assertThat(users.find(local.id())).isPresent();
  }

  @Test
  void refusesToLinkALocalAccountThatHasNotVerifiedItsAddress() {
    accounts.signUp("ada@example.com", "Ada", PASSWORD); // never verified: perhaps not Ada's

    assertThatThrownBy(() -> sso.signIn(identity("sub-ada", "ada@example.com", true, "Ada")))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("has not verified it yet");
    assertThat(db.count("user_identities")).isZero();
    assertThat(db.count("users")).isEqualTo(1);
  }

  @Test
  void anOrganizationRequiringSsoRefusesItsMembersPasswordSignInAfterThePasswordCheck() {
    User owner = verifiedUser("owner@example.com");
    sso.signIn(identity("sub-owner", "owner@example.com", true, "Owner"));
    OrganizationId team = memberships.createTeam(owner.id(), "Acme Research").orgId();
    User outsider = verifiedUser("outsider@example.com");

    settings.requireSingleSignOn(owner.id(), team, true);

    assertThatThrownBy(() -> accounts.signIn("owner@example.com", PASSWORD, "127.0.0.1"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("Acme Research requires single sign-on");
    // a wrong password still gets the one answer for wrong credentials
    assertThatThrownBy(() -> accounts.signIn("owner@example.com", "wrong password!", "127.0.0.1"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessage("The e-mail address or the password is not right");
    assertThat(accounts.signIn("outsider@example.com", PASSWORD, "127.0.0.1").user().id())
        .isEqualTo(outsider.id());
    assertThat(sso.signIn(identity("sub-owner", "owner@example.com", true, "Owner")).user().id())
        .isEqualTo(owner.id());

    settings.requireSingleSignOn(owner.id(), team, false);
    assertThat(accounts.signIn("owner@example.com", PASSWORD, "127.0.0.1").user().id())
        .isEqualTo(owner.id());
  }

  @Test
  void onlyOwnersAndAdminsChangeSettingsAndNobodyLocksThemselvesOut() {
    User owner = verifiedUser("owner@example.com");
    OrganizationId team = memberships.createTeam(owner.id(), "Acme Research").orgId();
    User billing = verifiedUser("billing@example.com");
    memberships.invite(Actor.member(owner.id()), team, "billing@example.com", Role.BILLING);
    memberships.accept(lastInvitation(), billing.id());
    User stranger = verifiedUser("stranger@example.com");

    assertThatThrownBy(() -> settings.requireSingleSignOn(owner.id(), team, true))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("Sign in with SSO once yourself");
    assertThatThrownBy(() -> settings.rename(billing.id(), team, "Taken Over"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("does not allow");
    assertThatThrownBy(() -> settings.settings(stranger.id(), team))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessage("No such organization");
    sso.signIn(identity("sub-owner", "owner@example.com", true, "Owner"));
    assertThatThrownBy(() -> settings.requireSingleSignOn(owner.id(), owner.personalOrgId(), true))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("personal organization");
    assertThatThrownBy(() -> settings.rename(owner.id(), team, "<b>Acme</b>"))
        .isInstanceOf(AccountRefusedException.class);

    assertThat(settings.rename(owner.id(), team, "  Acme Labs ").name()).isEqualTo("Acme Labs");
    assertThat(settings.requireSingleSignOn(owner.id(), team, true).requireSso()).isTrue();
    assertThat(settings.settings(billing.id(), team))
        .isEqualTo(new OrganizationSettings(team, "Acme Labs", false, true));
    assertThat(users.memberships(billing.id()))
        .extracting(Membership::orgName)
        .contains("Acme Labs");
  }

  private static VerifiedIdentity identity(
      String subject, String email, boolean verified, String name) {
    return new VerifiedIdentity(ISSUER, subject, email, verified, name);
  }

  private User verifiedUser(String email) {
    return people.verifiedUser(email);
  }

  private String lastVerifyLink() {
    return people.lastLink("verify-email");
  }

  private String lastInvitation() {
    return people.lastLink("invitation");
  }
}
