package dev.switchboard.domain.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.tenancy.OrganizationDirectory;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Key changes are announced to every listener, in the changing transaction, on commit only. */
class KeyChangeTest {

  private static final DomainFixture db = new DomainFixture();
  private Connection listener;

  @BeforeEach
  void listen() throws SQLException {
    listener = db.applicationDataSource.getConnection();
    try (Statement listen = listener.createStatement()) {
      listen.execute("LISTEN " + KeyChange.CHANNEL);
    }
    drain();
  }

  @AfterEach
  void close() throws SQLException {
    listener.close();
  }

  @Test
  void deletingAKeyAnnouncesItsHash() throws SQLException {
    OrganizationRepository.Founded org = db.organizations.found("Acme " + UUID.randomUUID());
    NewApiKey key = db.keys.create(org.organization().id(), workspace(org), settings(), false);
    drain();

    assertThat(db.keys.delete(org.organization().id(), key.key().hash())).isTrue();

    assertThat(received()).containsExactly("key:" + key.key().hash());
    assertThat(db.keys.delete(org.organization().id(), key.key().hash()))
        .as("deleted already")
        .isFalse();
    assertThat(received()).isEmpty();
  }

  @Test
  void changingAKeyAnnouncesItsHash() throws SQLException {
    OrganizationRepository.Founded org = db.organizations.found("Globex " + UUID.randomUUID());
    NewApiKey key = db.keys.create(org.organization().id(), workspace(org), settings(), false);
    drain();

    db.keys.update(
        org.organization().id(),
        key.key().hash(),
        new KeyPatch(null, true, false, null, false, null, false, null));

    assertThat(received()).containsExactly("key:" + key.key().hash());
  }

  @Test
  void disablingAnOrganizationAnnouncesIt() throws SQLException {
    OrganizationRepository.Founded org = db.organizations.found("Initech " + UUID.randomUUID());
    drain();

    new OrganizationDirectory(db.transactions, db.clock).setDisabled(org.organization().id(), true);

    assertThat(received()).containsExactly("org:" + org.organization().id().value());
  }

  @Test
  void aChangeRolledBackAnnouncesNothing() throws SQLException {
    assertThatThrownBy(
            () ->
                db.transactions.acrossTenants(
                    c -> {
                      KeyChange.announceKeys(c, List.of("abc"));
                      throw new IllegalStateException("rolled back");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(received()).isEmpty();
  }

  @Test
  void readsThePayloadsItSends() {
    OrganizationId org = new OrganizationId(UUID.randomUUID());
    assertThat(KeyChange.parse("key:ab12")).contains(new KeyChange.Key("ab12"));
    assertThat(KeyChange.parse("org:" + org.value())).contains(new KeyChange.Organization(org));
    assertThat(KeyChange.parse("org:not-a-uuid")).isEmpty();
    assertThat(KeyChange.parse("leases:" + org.value())).contains(new KeyChange.Leases(org));
    assertThat(KeyChange.parse("leases:")).isEmpty();
    assertThat(KeyChange.parse("byok:" + org.value())).contains(new KeyChange.ProviderKeys(org));
    assertThat(KeyChange.parse("byok:x")).isEmpty();
    assertThat(KeyChange.parse("key:")).isEmpty();
    assertThat(KeyChange.parse("workspace:1")).isEmpty();
    assertThat(KeyChange.parse(null)).isEmpty();
  }

  private static KeySettings settings() {
    return new KeySettings("ci", null, null, null);
  }

  private static UUID workspace(OrganizationRepository.Founded org) {
    return org.organization().defaultWorkspaceId();
  }

  /**
   * What the listener has been sent so far: notifications are queued for it when their transaction
   * commits, so a short wait suffices (and says nothing came when nothing should).
   */
  private List<String> received() throws SQLException {
    List<String> payloads = new ArrayList<>();
    PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(200);
    if (notifications != null) {
      for (PGNotification notification : notifications) {
        payloads.add(notification.getParameter());
      }
    }
    return payloads;
  }

  private void drain() throws SQLException {
    listener.unwrap(PGConnection.class).getNotifications(50);
  }
}
