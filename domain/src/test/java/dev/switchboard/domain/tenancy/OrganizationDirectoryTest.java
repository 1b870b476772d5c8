package dev.switchboard.domain.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrganizationDirectoryTest {

  private static final DomainFixture db = new DomainFixture();
  private final OrganizationDirectory directory =
      new OrganizationDirectory(db.transactions, db.clock);

  @Test
  void listsOrganizationsByNameWithTheirBalance() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    OrganizationRepository.Founded acme = db.organizations.found("Acme " + tag);
    db.ledger.grant(acme.organization().id(), Credits.ofUsd("3.50"), "k-" + tag, null, "seed");
    db.organizations.found("Globex " + tag);

    assertThat(directory.list("acme " + tag.toUpperCase(), 0, 10))
        .singleElement()
        .satisfies(
            org -> {
              assertThat(org.id()).isEqualTo(acme.organization().id());
              assertThat(org.balance()).isEqualTo(Credits.ofUsd("3.50"));
              assertThat(org.personal()).isFalse();
              assertThat(org.disabled()).isFalse();
            });
    assertThat(directory.list(tag, 0, 10)).hasSize(2);
    assertThat(directory.list(tag, 1, 10)).hasSize(1);
    assertThat(directory.list("100%_" + tag, 0, 10)).as("wildcards are literal").isEmpty();
  }

  @Test
  void aDisabledOrganizationsKeysReadAsSuchUntilItIsEnabled() {
    OrganizationRepository.Founded org = db.organizations.found("Initech " + UUID.randomUUID());
    ApiKey key = org.managementKey().key();

    assertThat(directory.setDisabled(org.organization().id(), true)).containsExactly(key.hash());

    assertThat(db.keys.findLiveByHash(key.hash()))
        .hasValueSatisfying(k -> assertThat(k.organizationDisabled()).isTrue());
    assertThat(directory.list(org.organization().name(), 0, 1).get(0).disabled()).isTrue();
    directory.setDisabled(org.organization().id(), false);
    assertThat(db.keys.findLiveByHash(key.hash()))
        .hasValueSatisfying(k -> assertThat(k.organizationDisabled()).isFalse());
    assertThat(directory.setDisabled(new OrganizationId(UUID.randomUUID()), true)).isEmpty();
  }
}
