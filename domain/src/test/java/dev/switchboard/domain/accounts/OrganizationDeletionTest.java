package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.byok.EnvelopeCipher;
import dev.switchboard.domain.byok.MasterKey;
import dev.switchboard.domain.byok.MasterKeyRing;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.byok.ProviderSecret;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.keys.NewApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An owner deletes a team organization; nobody reaches it afterwards, and its history stays. */
class OrganizationDeletionTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final OrganizationSettingsService settings =
      new OrganizationSettingsService(db.accountTransactions, people.users, clock);

  private final User owner = people.verifiedUser("owner@example.com");
  private final User admin = people.verifiedUser("admin@example.com");
  private final OrganizationId team =
      people.memberships.createTeam(owner.id(), "Acme Research").orgId();

  OrganizationDeletionTest() {
    people.memberships.invite(Actor.member(owner.id()), team, admin.email(), Role.ADMIN);
    people.memberships.accept(people.lastLink("invitation"), admin.id());
  }

  @Test
  void deletingRemovesMembersKeysAndInvitationsAndKeepsTheLedger() {
    NewApiKey key =
        db.keys.createFor(
            team,
            db.organizations.find(team).orElseThrow().defaultWorkspaceId(),
            new KeySettings("ci", null, null, null),
            owner.id().value());
    db.ledger.grant(team, Credits.ofUsd("3"), "g", "g", "seed");
    people.memberships.invite(Actor.member(owner.id()), team, "late@example.com", Role.MEMBER);
    String pending = people.lastLink("invitation");
    long entriesBefore = db.count("ledger_entries");

    assertThat(settings.delete(owner.id(), team, "  Acme Research ")).contains(key.key().hash());

    assertThat(people.users.memberships(owner.id()))
        .extracting(Membership::orgId)
        .doesNotContain(team);
    assertThat(people.users.memberships(admin.id()))
        .extracting(Membership::orgId)
        .doesNotContain(team);
    assertThat(db.keys.findLiveByHash(key.key().hash())).isEmpty();
    assertThat(people.memberships.findInvitation(pending)).isEmpty();
    assertThat(db.organizations.find(team)).isEmpty();
    assertThatThrownBy(() -> settings.settings(owner.id(), team))
        .isInstanceOf(AccountRefusedException.class)
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.NOT_FOUND);
    assertThat(db.count("ledger_entries")).isEqualTo(entriesBefore);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM organizations WHERE deleted_at IS NOT NULL AND id = '"
                    + team
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  void deletingRemovesTheOrganizationsProviderKeys() {
    ProviderKeys providerKeys =
        new ProviderKeys(
            db.transactions,
            new EnvelopeCipher(new MasterKeyRing(MasterKey.generate(), Optional.empty())),
            clock,
            Duration.ofSeconds(30));
    providerKeys.put(
        Actor.member(owner.id()),
        team,
        "sim-openai",
        ProviderSecret.of("sk-team-byok"),
        Optional.empty(),
        false);
    providerKeys.put(
        Actor.member(owner.id()),
        owner.personalOrgId(),
        "sim-openai",
        ProviderSecret.of("sk-personal-byok"),
        Optional.empty(),
        false);

    settings.delete(owner.id(), team, "Acme Research");

    assertThat(db.queryLong("SELECT count(*) FROM provider_keys WHERE org_id = '" + team + "'"))
        .isZero();
    assertThat(db.count("provider_keys")).as("the owner's personal one stays").isEqualTo(1);
  }

  @Test
  void onlyAnOwnerDeletesAndOnlyWithTheNameTyped() {
    assertThatThrownBy(() -> settings.delete(admin.id(), team, "Acme Research"))
        .isInstanceOf(AccountRefusedException.class)
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.FORBIDDEN);
    assertThatThrownBy(() -> settings.delete(owner.id(), team, "acme research"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("Type the organization's name");
    assertThatThrownBy(() -> settings.delete(owner.id(), team, null))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(people.users.memberships(admin.id())).extracting(Membership::orgId).contains(team);
  }

  @Test
  void aPersonalOrganizationIsNotDeletedAndAStrangerIsToldThereIsNone() {
    OrganizationId personal = owner.personalOrgId();
    assertThatThrownBy(
            () ->
                settings.delete(
                    owner.id(), personal, settings.settings(owner.id(), personal).name()))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("personal");
    User stranger = people.verifiedUser("stranger@example.com");
    assertThatThrownBy(() -> settings.delete(stranger.id(), team, "Acme Research"))
        .isInstanceOf(AccountRefusedException.class)
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.NOT_FOUND);
    assertThat(db.organizations.find(team)).isPresent();
  }
}
