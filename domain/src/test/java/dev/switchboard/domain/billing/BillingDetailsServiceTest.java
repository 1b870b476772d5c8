package dev.switchboard.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BillingDetailsServiceTest {

  private static final BillingDetails ACME =
      BillingDetails.of("Acme GmbH", "Hauptstr. 1", "10115 Berlin", "DE", "DE123456789", null);

  private final DomainFixture db = new DomainFixture(Clock.systemUTC());
  private final AccountsFixture people = new AccountsFixture(db, db.clock);
  private final BillingDetailsService service =
      new BillingDetailsService(db.transactions, db.clock);
  private final User owner = people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  private final OrganizationId org = owner.personalOrgId();

  @Test
  void ownersAndBillingMembersChangeTheDetailsAndMembersWhoSeeCreditsReadThem() {
    assertThat(service.details(Actor.member(owner.id()), org)).isEqualTo(BillingDetails.NONE);

    assertThat(service.change(Actor.member(owner.id()), org, ACME)).isEqualTo(ACME);
    User billing = people.memberOf(org, Role.BILLING);
    BillingDetails moved = BillingDetails.of("Acme GmbH", "Neue Str. 2", null, "DE", null, null);
    assertThat(service.change(Actor.member(billing.id()), org, moved)).isEqualTo(moved);

    User admin = people.memberOf(org, Role.ADMIN);
    assertThat(service.details(Actor.member(admin.id()), org)).isEqualTo(moved);
    assertThat(db.count("billing_details")).isEqualTo(1);
  }

  @Test
  void adminsMembersManagementKeysAndStrangersCannotChangeThem() {
    service.change(Actor.member(owner.id()), org, ACME);
    User admin = people.memberOf(org, Role.ADMIN);
    User member = people.memberOf(org, Role.MEMBER);
    User stranger = people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");
    BillingDetails planted = BillingDetails.of("Planted", null, null, null, null, null);

    for (Actor refused :
        new Actor[] {
          Actor.member(admin.id()), Actor.member(member.id()), Actor.managementKey(org, "hash")
        }) {
      assertThatThrownBy(() -> service.change(refused, org, planted))
          .isInstanceOfSatisfying(
              AccountRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
    }
    assertThatThrownBy(() -> service.details(Actor.member(member.id()), org))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
    assertThatThrownBy(() -> service.change(Actor.member(stranger.id()), org, planted))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> service.details(Actor.member(stranger.id()), org))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.NOT_FOUND));

    assertThat(service.details(Actor.member(owner.id()), org)).isEqualTo(ACME);
  }

  @Test
  void anotherOrganizationSeesNoneOfThem() {
    service.change(Actor.member(owner.id()), org, ACME);
    User other = people.verifiedUser("other-" + UUID.randomUUID() + "@example.com");

    assertThat(service.details(Actor.member(other.id()), other.personalOrgId()))
        .isEqualTo(BillingDetails.NONE);
    BillingDetails seenFromThere =
        db.transactions.inTenant(other.personalOrgId(), c -> BillingDetailsService.read(c, org));
    assertThat(seenFromThere)
        .as("row-level security hides another organization's row")
        .isEqualTo(BillingDetails.NONE);
  }
}
