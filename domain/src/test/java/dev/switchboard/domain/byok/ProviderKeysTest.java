package dev.switchboard.domain.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class ProviderKeysTest {

  private static final String SECRET = "sk-canary-byok-" + UUID.randomUUID();

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final MasterKey oldKey = MasterKey.generate();
  private final ProviderKeys keys = service(new MasterKeyRing(oldKey, Optional.empty()));
  private final User owner = people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  private final OrganizationId org = owner.personalOrgId();
  private final Actor ownerActor = Actor.member(owner.id());
  private final BaseUrlGuard guard =
      new BaseUrlGuard(
          Set.of(), host -> new java.net.InetAddress[] {java.net.InetAddress.getByName("8.8.8.8")});

  @Test
  void settingAndDeletingAKeyTellEveryInstanceWhenItCommits() throws Exception {
    try (Connection listener = db.dataSource.getConnection();
        Statement listen = listener.createStatement()) {
      listen.execute("LISTEN " + KeyChange.CHANNEL);

      keys.put(ownerActor, org, "sim-openai", ProviderSecret.of(SECRET), Optional.empty(), false);
      keys.delete(ownerActor, org, "sim-openai");

      List<String> heard = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                PGNotification[] arrived =
                    listener.unwrap(PGConnection.class).getNotifications(100);
                if (arrived != null) {
                  for (PGNotification notification : arrived) {
                    heard.add(notification.getParameter());
                  }
                }
                return heard.size() >= 2;
              });
      assertThat(heard).containsExactly("byok:" + org.value(), "byok:" + org.value());
    }
  }

  @Test
  void putListRotateAndDeleteNeverShowTheSecret() {
    ProviderKey set =
        keys.put(
            ownerActor,
            org,
            "sim-openai",
            ProviderSecret.of(SECRET),
            Optional.of(guard.check("https://8.8.8.8/v1")),
            true);

    assertThat(set.provider()).isEqualTo("sim-openai");
    assertThat(set.last4()).isEqualTo(SECRET.substring(SECRET.length() - 4));
    assertThat(set.baseUrl()).contains("https://8.8.8.8/v1");
    assertThat(set.alwaysUse()).isTrue();
    assertThat(set.toString()).doesNotContain(SECRET);
    assertThat(keys.list(ownerActor, org)).containsExactly(set);
    byte[] firstCiphertext = column(org, "sim-openai", "secret_ciphertext");

    clock.advance(Duration.ofMinutes(5));
    ProviderKey rotated =
        keys.put(
            ownerActor,
            org,
            "sim-openai",
            ProviderSecret.of("sk-rotated-9999"),
            Optional.empty(),
            false);

    assertThat(rotated.createdAt()).isEqualTo(set.createdAt());
    assertThat(rotated.updatedAt()).isAfter(set.updatedAt());
    assertThat(rotated.last4()).isEqualTo("9999");
    assertThat(rotated.baseUrl()).isEmpty();
    assertThat(db.count("provider_keys")).isEqualTo(1);
    assertThat(column(org, "sim-openai", "secret_ciphertext")).isNotEqualTo(firstCiphertext);
    assertThat(keys.credentials(org, "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo("sk-rotated-9999");

    assertThat(keys.delete(ownerActor, org, "sim-openai")).isTrue();
    assertThat(keys.delete(ownerActor, org, "sim-openai")).isFalse();
    assertThat(keys.list(ownerActor, org)).isEmpty();
    assertThat(keys.credentials(org, "sim-openai")).isEmpty();
  }

  @Test
  void storedRowHoldsNoPlaintext() throws SQLException {
    keys.put(ownerActor, org, "sim-openai", ProviderSecret.of(SECRET), Optional.empty(), false);

    try (Connection c = db.dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement("SELECT * FROM provider_keys WHERE org_id = ?")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          String column = rows.getMetaData().getColumnName(i);
          String stored =
              rows.getMetaData().getColumnTypeName(i).equals("bytea")
                  ? new String(rows.getBytes(i), StandardCharsets.ISO_8859_1)
                  : String.valueOf(rows.getString(i));
          assertThat(stored).as(column).doesNotContain(SECRET.substring(0, 12));
        }
      }
    }
  }

  @Test
  void ownersAdminsAndManagementKeysManageProviderKeysOthersMayNot() {
    User admin = people.memberOf(org, Role.ADMIN);
    keys.put(
        Actor.member(admin.id()),
        org,
        "sim-openai",
        ProviderSecret.of("sk-a"),
        Optional.empty(),
        false);
    keys.put(
        Actor.managementKey(org, "hash"),
        org,
        "sim-together",
        ProviderSecret.of("sk-b"),
        Optional.empty(),
        false);
    assertThat(keys.list(Actor.member(admin.id()), org)).hasSize(2);

    for (Role role : new Role[] {Role.BILLING, Role.MEMBER}) {
      Actor refused = Actor.member(people.memberOf(org, role).id());
      assertThatThrownBy(
              () ->
                  keys.put(
                      refused,
                      org,
                      "sim-openai",
                      ProviderSecret.of("sk-x"),
                      Optional.empty(),
                      false))
          .isInstanceOfSatisfying(
              AccountRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
      assertThatThrownBy(() -> keys.list(refused, org)).isInstanceOf(AccountRefusedException.class);
      assertThatThrownBy(() -> keys.delete(refused, org, "sim-openai"))
          .isInstanceOf(AccountRefusedException.class);
    }
    User stranger = people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");
    assertThatThrownBy(() -> keys.list(Actor.member(stranger.id()), org))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> keys.list(Actor.managementKey(stranger.personalOrgId(), "h"), org))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(keys.credentials(org, "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo("sk-a");
  }

  @Test
  void ciphertextCopiedIntoAnotherOrganizationsOrProvidersRowDoesNotDecrypt() throws SQLException {
    User other = people.verifiedUser("other-" + UUID.randomUUID() + "@example.com");
    OrganizationId otherOrg = other.personalOrgId();
    keys.put(ownerActor, org, "sim-openai", ProviderSecret.of(SECRET), Optional.empty(), false);
    keys.put(
        Actor.member(other.id()),
        otherOrg,
        "sim-openai",
        ProviderSecret.of("sk-other-1"),
        Optional.empty(),
        false);
    keys.put(
        ownerActor, org, "sim-together", ProviderSecret.of("sk-own-2"), Optional.empty(), false);

    copySealedColumns(org, "sim-openai", otherOrg, "sim-openai");
    copySealedColumns(org, "sim-openai", org, "sim-together");

    ProviderKeys fresh = service(new MasterKeyRing(oldKey, Optional.empty()));
    assertThatThrownBy(() -> fresh.credentials(otherOrg, "sim-openai"))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> fresh.credentials(org, "sim-together"))
        .isInstanceOf(SecretUnreadableException.class);
    assertThat(fresh.credentials(org, "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo(SECRET);
  }

  @Test
  void rotationRewrapsEveryDataKeyWithoutTouchingCiphertextsThenTheOldKeyCanGo() {
    List<OrganizationId> orgs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      User someone = people.verifiedUser("rot-" + i + "-" + UUID.randomUUID() + "@example.com");
      orgs.add(someone.personalOrgId());
      keys.put(
          Actor.member(someone.id()),
          someone.personalOrgId(),
          "sim-openai",
          ProviderSecret.of("sk-rot-" + i),
          Optional.empty(),
          false);
    }
    List<byte[]> ciphertexts = new ArrayList<>();
    for (OrganizationId o : orgs) {
      ciphertexts.add(column(o, "sim-openai", "secret_ciphertext"));
    }
    MasterKey newKey = MasterKey.generate();
    ProviderKeys rotating = service(new MasterKeyRing(newKey, Optional.of(oldKey)));
    // before and during the pass every key opens, under either master key
    assertThat(rotating.credentials(orgs.get(0), "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo("sk-rot-0");
    assertThat(rotating.countUnderUnknownMasterKeys()).isZero();

    assertThat(rotating.countAwaitingRewrap()).isEqualTo(3);
    assertThat(rotating.rewrapAll()).isEqualTo(3);
    assertThat(rotating.rewrapAll()).isZero();
    assertThat(rotating.countAwaitingRewrap()).isZero();

    for (int i = 0; i < orgs.size(); i++) {
      assertThat(column(orgs.get(i), "sim-openai", "secret_ciphertext"))
          .isEqualTo(ciphertexts.get(i));
    }
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM provider_keys WHERE master_key_id = '" + newKey.id() + "'"))
        .isEqualTo(3);
    ProviderKeys afterRotation = service(new MasterKeyRing(newKey, Optional.empty()));
    assertThat(afterRotation.countUnderUnknownMasterKeys()).isZero();
    for (int i = 0; i < orgs.size(); i++) {
      assertThat(
              afterRotation.credentials(orgs.get(i), "sim-openai").orElseThrow().apiKey().reveal())
          .isEqualTo("sk-rot-" + i);
    }
    ProviderKeys oldOnly = service(new MasterKeyRing(oldKey, Optional.empty()));
    assertThat(oldOnly.countUnderUnknownMasterKeys()).isEqualTo(3);
    assertThatThrownBy(() -> oldOnly.credentials(orgs.get(0), "sim-openai"))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void credentialsAreCachedForTheTimeToLiveAndChangesHereAreSeenAtOnce() throws SQLException {
    keys.put(ownerActor, org, "sim-openai", ProviderSecret.of("sk-first"), Optional.empty(), false);
    assertThat(keys.credentials(org, "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo("sk-first");
    assertThat(keys.credentials(org, "sim-anthropic")).isEmpty();

    // another instance's change (written past this service) is seen once the entry expires
    ProviderKeys otherInstance = service(new MasterKeyRing(oldKey, Optional.empty()));
    otherInstance.put(
        ownerActor, org, "sim-openai", ProviderSecret.of("sk-second"), Optional.empty(), false);
    assertThat(keys.credentials(org, "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo("sk-first");
    clock.advance(Duration.ofSeconds(61));
    assertThat(keys.credentials(org, "sim-openai").orElseThrow().apiKey().reveal())
        .isEqualTo("sk-second");

    keys.put(ownerActor, org, "sim-openai", ProviderSecret.of("sk-third"), Optional.empty(), true);
    ProviderCredentials third = keys.credentials(org, "sim-openai").orElseThrow();
    assertThat(third.apiKey().reveal()).isEqualTo("sk-third");
    assertThat(third.alwaysUse()).isTrue();
  }

  private ProviderKeys service(MasterKeyRing ring) {
    return new ProviderKeys(
        db.transactions, new EnvelopeCipher(ring), clock, Duration.ofSeconds(60));
  }

  private byte[] column(OrganizationId o, String provider, String column) {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement(
                "SELECT "
                    + column
                    + " FROM provider_keys WHERE org_id = ? AND provider_slug = ?")) {
      query.setObject(1, o.value());
      query.setString(2, provider);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What an attacker with write access to the table would do: move one row's sealed secret. */
  private void copySealedColumns(
      OrganizationId fromOrg, String fromProvider, OrganizationId toOrg, String toProvider)
      throws SQLException {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement copy =
            c.prepareStatement(
                "UPDATE provider_keys t SET secret_ciphertext = f.secret_ciphertext,"
                    + " secret_nonce = f.secret_nonce, data_key_wrapped = f.data_key_wrapped,"
                    + " data_key_nonce = f.data_key_nonce, master_key_id = f.master_key_id"
                    + " FROM provider_keys f WHERE f.org_id = ? AND f.provider_slug = ?"
                    + " AND t.org_id = ? AND t.provider_slug = ?")) {
      copy.setObject(1, fromOrg.value());
      copy.setString(2, fromProvider);
      copy.setObject(3, toOrg.value());
      copy.setString(4, toProvider);
      assertThat(copy.executeUpdate()).isEqualTo(1);
    }
  }
}
