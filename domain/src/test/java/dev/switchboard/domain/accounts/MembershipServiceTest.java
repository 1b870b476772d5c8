package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipServiceTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final List<OutgoingMail> outbox = people.outbox;
  private final UserRepository users = people.users;
  private final MembershipService memberships = people.memberships;

  private final User owner = verifiedUser("owner@example.com");
  private final OrganizationId team = memberships.createTeam(owner.id(), "Acme Research").orgId();

  @Test
  void anInvitedPersonAcceptsOnceAndJoinsWithTheInvitedRole() {
    User bob = verifiedUser("bob@example.com");
    memberships.invite(Actor.member(owner.id()), team, "Bob@Example.com", Role.MEMBER);
    String link = lastLink("invitation");
    assertThat(outbox.get(outbox.size() - 1).subject()).contains("Acme Research");
    assertThat(memberships.findInvitation(link)).map(Invitation::role).contains(Role.MEMBER);

    Membership joined = memberships.accept(link, bob.id());

    assertThat(joined.role()).isEqualTo(Role.MEMBER);
    assertThat(users.memberships(bob.id())).extracting(Membership::orgId).contains(team);
    assertThat(memberships.members(Actor.member(owner.id()), team))
        .extracting(Member::email, Member::role)
        .containsExactlyInAnyOrder(
            tuple("owner@example.com", Role.OWNER), tuple("bob@example.com", Role.MEMBER));
    assertThatThrownBy(() -> memberships.accept(link, bob.id()))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("not valid");
    assertThat(memberships.findInvitation(link)).isEmpty();
  }

  @Test
  void anInvitationForAnotherAddressIsRefusedAndStaysUsableForItsOwner() {
    User mallory = verifiedUser("mallory@example.com");
    memberships.invite(Actor.member(owner.id()), team, "bob@example.com", Role.ADMIN);
    String link = lastLink("invitation");

    assertThatThrownBy(() -> memberships.accept(link, mallory.id()))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("bob@example.com");
    assertThat(users.memberships(mallory.id())).extracting(Membership::orgId).doesNotContain(team);

    User bob = verifiedUser("bob@example.com"); // signs up from the invitation
    assertThat(memberships.accept(link, bob.id()).role()).isEqualTo(Role.ADMIN);
  }

  @Test
  void expiredForgedAndReplacedInvitationsAreRefused() {
    User bob = verifiedUser("bob@example.com");
    memberships.invite(Actor.member(owner.id()), team, "bob@example.com", Role.MEMBER);
    String first = lastLink("invitation");
    memberships.invite(Actor.member(owner.id()), team, "bob@example.com", Role.BILLING);
    String second = lastLink("invitation");

    assertThatThrownBy(() -> memberships.accept(first, bob.id()))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> memberships.accept("forged-" + second, bob.id()))
        .isInstanceOf(AccountRefusedException.class);
    clock.advance(MembershipService.INVITATION_LIFETIME.plusSeconds(1));
    assertThatThrownBy(() -> memberships.accept(second, bob.id()))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(users.memberships(bob.id())).hasSize(1);
  }

  @Test
  void rolesDecideWhoMayInviteAndWhoMayTouchOwners() {
    User admin = member("admin@example.com", Role.ADMIN);
    User billing = member("billing@example.com", Role.BILLING);
    User plain = member("plain@example.com", Role.MEMBER);

    assertThatThrownBy(
            () -> memberships.invite(Actor.member(plain.id()), team, "x@example.com", Role.MEMBER))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("member");
    assertThatThrownBy(
            () ->
                memberships.invite(Actor.member(billing.id()), team, "x@example.com", Role.MEMBER))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(
            () -> memberships.invite(Actor.member(admin.id()), team, "x@example.com", Role.OWNER))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(
            () -> memberships.changeRole(Actor.member(admin.id()), team, owner.id(), Role.MEMBER))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(
            () -> memberships.changeRole(Actor.member(admin.id()), team, plain.id(), Role.OWNER))
        .isInstanceOf(AccountRefusedException.class);

    memberships.changeRole(Actor.member(admin.id()), team, plain.id(), Role.BILLING);
    memberships.invite(Actor.member(admin.id()), team, "x@example.com", Role.ADMIN);
    assertThat(memberships.pendingInvitations(Actor.member(admin.id()), team))
        .extracting(Invitation::email)
        .containsExactly("x@example.com");
    assertThat(memberships.members(Actor.member(owner.id()), team))
        .filteredOn(m -> m.userId().equals(plain.id()))
        .extracting(Member::role)
        .containsExactly(Role.BILLING);
  }

  @Test
  void theLastOwnerCannotBeDemotedRemovedOrLeaveUntilThereIsAnother() {
    User second = member("second@example.com", Role.ADMIN);

    assertThatThrownBy(
            () -> memberships.changeRole(Actor.member(owner.id()), team, owner.id(), Role.ADMIN))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("at least one owner");
    assertThatThrownBy(() -> memberships.remove(Actor.member(owner.id()), team, owner.id()))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("at least one owner");

    memberships.changeRole(
        Actor.member(owner.id()), team, second.id(), Role.OWNER); // transfer ownership
    memberships.remove(Actor.member(owner.id()), team, owner.id()); // then leave
    assertThat(memberships.members(Actor.member(second.id()), team))
        .extracting(Member::email)
        .containsExactly("second@example.com");
  }

  @Test
  void concurrentDemotionsOfTwoOwnersLeaveOneOwner() throws Exception {
    User second = member("second@example.com", Role.OWNER);
    Thread a =
        new Thread(
            () ->
                swallow(
                    () ->
                        memberships.changeRole(
                            Actor.member(owner.id()), team, owner.id(), Role.ADMIN)));
    Thread b =
        new Thread(
            () ->
                swallow(
                    () ->
                        memberships.changeRole(
                            Actor.member(second.id()), team, second.id(), Role.ADMIN)));
    a.start();
    b.start();
    a.join();
    b.join();

    assertThat(memberships.members(Actor.member(owner.id()), team))
        .filteredOn(m -> m.role() == Role.OWNER)
        .hasSize(1);
  }

  @Test
  void removingAMemberDisablesTheKeysTheyCreatedThere() {
    User bob = member("bob@example.com", Role.MEMBER);
    var workspace = db.organizations.find(team).orElseThrow().defaultWorkspaceId();
    ApiKey bobs =
        db.keys
            .createFor(
                team, workspace, new KeySettings("bob's", null, null, null), bob.id().value())
            .key();
    ApiKey owners =
        db.keys
            .createFor(
                team, workspace, new KeySettings("owner's", null, null, null), owner.id().value())
            .key();

    MembershipService.Removal removal =
        memberships.remove(Actor.member(owner.id()), team, bob.id());

    assertThat(removal.disabledKeyHashes()).containsExactly(bobs.hash());
    assertThat(db.keys.findForOrg(team, bobs.hash()).orElseThrow().disabled()).isTrue();
    assertThat(db.keys.findForOrg(team, owners.hash()).orElseThrow().disabled()).isFalse();
    assertThat(users.memberships(bob.id())).extracting(Membership::orgId).doesNotContain(team);
  }

  @Test
  void keysOfARemovedMemberCanBeGivenToAnotherMemberAndKeepWorking() {
    User bob = member("bob@example.com", Role.MEMBER);
    User carol = member("carol@example.com", Role.MEMBER);
    var workspace = db.organizations.find(team).orElseThrow().defaultWorkspaceId();
    ApiKey bobs =
        db.keys
            .createFor(
                team, workspace, new KeySettings("bob's", null, null, null), bob.id().value())
            .key();
    Actor byOwner = Actor.member(owner.id());

    assertThatThrownBy(() -> memberships.remove(byOwner, team, bob.id(), bob.id()))
        .isInstanceOf(AccountRefusedException.class);
    User outsider = verifiedUser("outsider@example.com");
    assertThatThrownBy(() -> memberships.remove(byOwner, team, bob.id(), outsider.id()))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(users.memberships(bob.id())).extracting(Membership::orgId).contains(team);

    MembershipService.Removal removal = memberships.remove(byOwner, team, bob.id(), carol.id());

    assertThat(removal.disabledKeyHashes()).isEmpty();
    assertThat(removal.reassignedKeyHashes()).containsExactly(bobs.hash());
    ApiKey kept = db.keys.findForOrg(team, bobs.hash()).orElseThrow();
    assertThat(kept.disabled()).isFalse();
    assertThat(kept.createdBy()).isEqualTo(carol.id().value());
  }

  @Test
  void anOutsiderIsToldTheOrganizationDoesNotExist() {
    User outsider = verifiedUser("outsider@example.com");
    assertThatThrownBy(() -> memberships.members(Actor.member(outsider.id()), team))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessage("No such organization");
    assertThatThrownBy(
            () ->
                memberships.invite(Actor.member(outsider.id()), team, "x@example.com", Role.MEMBER))
        .hasMessage("No such organization");
    assertThatThrownBy(() -> memberships.remove(Actor.member(outsider.id()), team, owner.id()))
        .hasMessage("No such organization");
  }

  @Test
  void nobodyIsInvitedToAPersonalOrganizationAndNamesAreChecked() {
    assertThatThrownBy(
            () ->
                memberships.invite(
                    Actor.member(owner.id()), owner.personalOrgId(), "x@example.com", Role.MEMBER))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("personal");
    assertThatThrownBy(
            () -> memberships.remove(Actor.member(owner.id()), owner.personalOrgId(), owner.id()))
        .isInstanceOf(AccountRefusedException.class);
    long orgs = db.count("organizations");
    for (String name : List.of("", " ", "x".repeat(101), "<b>Acme</b>")) {
      assertThatThrownBy(() -> memberships.createTeam(owner.id(), name))
          .isInstanceOf(AccountRefusedException.class);
    }
    assertThat(db.count("organizations")).isEqualTo(orgs);
    assertThatThrownBy(
            () -> memberships.invite(Actor.member(owner.id()), team, "not an address", Role.MEMBER))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(db.count("invitations")).isZero();
  }

  @Test
  void aManagementKeyActsAsAnAdminOfItsOwnOrganizationOnly() {
    var workspace = db.organizations.find(team).orElseThrow().defaultWorkspaceId();
    ApiKey key =
        db.keys
            .create(team, workspace, new KeySettings("provisioning", null, null, null), true)
            .key();
    Actor byKey = Actor.managementKey(team, key.hash());
    User bob = verifiedUser("bob@example.com");

    Invitation invitation = memberships.invite(byKey, team, "bob@example.com", Role.BILLING);
    assertThat(invitation.invitedBy()).isEqualTo("the API key provisioning");
    assertThat(memberships.findInvitation(lastLink("invitation")))
        .map(Invitation::invitedBy)
        .contains("the API key provisioning");
    memberships.accept(lastLink("invitation"), bob.id());
    assertThat(memberships.changeRole(byKey, team, bob.id(), Role.ADMIN).role())
        .isEqualTo(Role.ADMIN);

    assertThatThrownBy(() -> memberships.changeRole(byKey, team, bob.id(), Role.OWNER))
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.FORBIDDEN);
    assertThatThrownBy(() -> memberships.remove(byKey, team, owner.id()))
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.FORBIDDEN);
    OrganizationId other = memberships.createTeam(bob.id(), "Elsewhere").orgId();
    assertThatThrownBy(() -> memberships.members(byKey, other))
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.NOT_FOUND);
    assertThatThrownBy(
            () -> memberships.remove(byKey, team, new UserId(java.util.UUID.randomUUID())))
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.NOT_FOUND);

    assertThat(memberships.remove(byKey, team, bob.id()).disabledKeyHashes()).isEmpty();
    assertThat(memberships.members(byKey, team))
        .extracting(Member::email)
        .containsExactly("owner@example.com");
  }

  private User member(String email, Role role) {
    User user = verifiedUser(email);
    memberships.invite(Actor.member(owner.id()), team, email, role);
    memberships.accept(lastLink("invitation"), user.id());
    return user;
  }

  private User verifiedUser(String email) {
    return people.verifiedUser(email);
  }

  private String lastLink(String page) {
    return people.lastLink(page);
  }

  private static void swallow(Runnable change) {
    try {
      change.run();
    } catch (AccountRefusedException e) {
      // the loser of the race is refused: one owner must remain
    }
  }
}
