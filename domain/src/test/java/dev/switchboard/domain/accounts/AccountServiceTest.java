package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.mail.OutgoingMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AccountServiceTest {

  private static final String PASSWORD = AccountsFixture.PASSWORD;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final List<OutgoingMail> outbox = people.outbox;
  private final UserRepository users = people.users;
  private final SessionRepository sessions = people.sessions;
  private final AccountService accounts = people.accounts;

  @Test
  void signUpCreatesTheUserAndTheirPersonalOrganizationAndMailsAVerificationLink() {
    accounts.signUp("  Ada@Example.COM ", "Ada Lovelace", PASSWORD);

    User ada = users.findByEmail("ada@example.com").orElseThrow();
    assertThat(ada.displayName()).isEqualTo("Ada Lovelace");
    assertThat(ada.emailVerified()).isFalse();
    assertThat(users.memberships(ada.id()))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.orgId()).isEqualTo(ada.personalOrgId());
              assertThat(m.personal()).isTrue();
              assertThat(m.role()).isEqualTo(Role.OWNER);
            });
    assertThat(db.organizations.find(ada.personalOrgId())).isPresent();
    assertThat(db.ledger.balance(ada.personalOrgId()).balance().nanos()).isZero();
    assertThat(lastLink("verify-email")).isNotBlank();
    assertThat(outbox.get(0).to()).isEqualTo("ada@example.com");
  }

  @Test
  void storesOnlyAnArgon2idHashOfThePassword() {
    accounts.signUp("ada@example.com", "Ada", PASSWORD);

    String stored =
        db.transactions.withConnection(
            c -> {
              try (var s = c.createStatement();
                  var rows = s.executeQuery("SELECT password_hash FROM users")) {
                rows.next();
                return rows.getString(1);
              }
            });
    assertThat(stored).startsWith("$argon2id$").doesNotContain(PASSWORD);
  }

  @Test
  void cannotSignInBeforeTheAddressIsVerifiedAndCanAfterFollowingTheLink() {
    accounts.signUp("ada@example.com", "Ada", PASSWORD);
    String firstLink = lastLink("verify-email");

    assertThatThrownBy(() -> accounts.signIn("ada@example.com", PASSWORD, "127.0.0.1"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("Verify your e-mail");
    // that attempt mailed a fresh link, and the first one no longer works
    String secondLink = lastLink("verify-email");
    assertThat(secondLink).isNotEqualTo(firstLink);
    assertThatThrownBy(() -> accounts.verifyEmail(firstLink))
        .isInstanceOf(AccountRefusedException.class);

    assertThat(accounts.verifyEmail(secondLink).emailVerified()).isTrue();
    AccountService.SignedIn signedIn = accounts.signIn("ADA@example.com", PASSWORD, "127.0.0.1");
    assertThat(accounts.currentUser(signedIn.sessionToken()))
        .map(User::email)
        .contains("ada@example.com");
  }

  @Test
  void aVerificationLinkWorksOnceAndNotAfterItExpires() {
    accounts.signUp("ada@example.com", "Ada", PASSWORD);
    String link = lastLink("verify-email");
    accounts.verifyEmail(link);
    assertThatThrownBy(() -> accounts.verifyEmail(link))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("not valid");

    accounts.signUp("bob@example.com", "Bob", PASSWORD);
    String bobs = lastLink("verify-email");
    clock.advance(AccountService.VERIFY_LINK_LIFETIME.plusSeconds(1));
    assertThatThrownBy(() -> accounts.verifyEmail(bobs))
        .isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> accounts.verifyEmail("forged-token"))
        .isInstanceOf(AccountRefusedException.class);
  }

  @Test
  void signingUpWithATakenAddressCreatesNothingAndTellsOnlyTheOwnerByMail() {
    accounts.signUp("ada@example.com", "Ada", PASSWORD);
    long usersBefore = db.count("users");
    long orgsBefore = db.count("organizations");

    accounts.signUp("ADA@example.com", "Impostor", "another long passphrase");

    assertThat(db.count("users")).isEqualTo(usersBefore);
    assertThat(db.count("organizations")).isEqualTo(orgsBefore);
    assertThat(outbox.get(outbox.size() - 1).subject()).contains("already have");
    assertThat(outbox.get(outbox.size() - 1).text()).doesNotContain("token=");
  }

  @Test
  void refusesBadSignUpsWithAClearMessageAndStoresNothing() {
    List<Runnable> attempts =
        List.of(
            () -> accounts.signUp("not-an-address", "Ada", PASSWORD),
            () -> accounts.signUp("ada@example.com\r\nBcc: x@evil.test", "Ada", PASSWORD),
            () -> accounts.signUp("a".repeat(250) + "@example.com", "Ada", PASSWORD),
            () -> accounts.signUp("ada@example.com", "x".repeat(10_000), PASSWORD),
            () -> accounts.signUp("ada@example.com", "<script>alert(1)</script>", PASSWORD),
            () -> accounts.signUp("ada@example.com", " ", PASSWORD),
            () -> accounts.signUp("ada@example.com", "Ada", "short"),
            () -> accounts.signUp("ada@example.com", "Ada", "Password123"),
            () -> accounts.signUp("ada@example.com", "Ada", "ada@example.com"),
            () -> accounts.signUp("ada@example.com", "Ada", "x".repeat(129)));
    for (Runnable attempt : attempts) {
      assertThatThrownBy(attempt::run)
          .isInstanceOf(AccountRefusedException.class)
          .message()
          .isNotBlank();
    }
    assertThat(db.count("users")).isZero();
    assertThat(db.count("organizations")).isZero();
    assertThat(outbox).isEmpty();
  }

  @Test
  void aWrongPasswordAndAnUnknownAddressGetTheSameAnswer() {
    verifiedUser("ada@example.com");

    assertThatThrownBy(() -> accounts.signIn("ada@example.com", "wrong password!", "10.0.0.1"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessage("The e-mail address or the password is not right");
    assertThatThrownBy(() -> accounts.signIn("nobody@example.com", PASSWORD, "10.0.0.1"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessage("The e-mail address or the password is not right");
  }

  @Test
  void repeatedFailuresBlockTheAccountEvenWithTheRightPasswordUntilTheWindowEnds() {
    verifiedUser("ada@example.com");
    for (int i = 0; i < AccountService.ACCOUNT_FAILURE_LIMIT; i++) {
      String address = "192.0.2." + i; // a different address each time: the account is throttled
      assertThatThrownBy(() -> accounts.signIn("ada@example.com", "wrong password!", address))
          .isNotInstanceOf(SignInThrottledException.class);
    }

    assertThatThrownBy(() -> accounts.signIn("ada@example.com", PASSWORD, "192.0.2.99"))
        .isInstanceOfSatisfying(
            SignInThrottledException.class,
            e ->
                assertThat(e.retryAfter())
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofMinutes(15)));
    // an unknown account is throttled just the same, so the throttle tells nothing either
    for (int i = 0; i < AccountService.ACCOUNT_FAILURE_LIMIT; i++) {
      String address = "198.51.100." + i;
      assertThatThrownBy(() -> accounts.signIn("nobody@example.com", "guess guess!", address))
          .isNotInstanceOf(SignInThrottledException.class);
    }
    assertThatThrownBy(() -> accounts.signIn("nobody@example.com", "guess guess!", "203.0.113.1"))
        .isInstanceOf(SignInThrottledException.class);

    clock.advance(SignInThrottle.WINDOW.plusSeconds(1));
    assertThat(accounts.signIn("ada@example.com", PASSWORD, "192.0.2.99").user().email())
        .isEqualTo("ada@example.com");
  }

  @Test
  void oneAddressFailingAcrossManyAccountsIsBlocked() {
    verifiedUser("ada@example.com");
    IntStream.range(0, AccountService.ADDRESS_FAILURE_LIMIT)
        .forEach(
            i ->
                assertThatThrownBy(
                        () ->
                            accounts.signIn(
                                "user" + i + "@example.com", "guess guess!", "10.9.9.9"))
                    .isNotInstanceOf(SignInThrottledException.class));

    assertThatThrownBy(() -> accounts.signIn("ada@example.com", PASSWORD, "10.9.9.9"))
        .isInstanceOf(SignInThrottledException.class);
    assertThat(accounts.signIn("ada@example.com", PASSWORD, "10.9.9.10")).isNotNull();
  }

  @Test
  void sessionsEndOnSignOutAndAtTheirLifetime() {
    verifiedUser("ada@example.com");
    String first = accounts.signIn("ada@example.com", PASSWORD, "127.0.0.1").sessionToken();
    String second = accounts.signIn("ada@example.com", PASSWORD, "127.0.0.1").sessionToken();
    assertThat(first).isNotEqualTo(second);

    accounts.signOut(first);
    assertThat(accounts.currentUser(first)).isEmpty();
    assertThat(accounts.currentUser(second)).isPresent();

    clock.advance(Duration.ofHours(12));
    assertThat(accounts.currentUser(second)).isEmpty();
    assertThat(
            db.queryLong("SELECT count(*) FROM user_sessions WHERE token_hash = '" + second + "'"))
        .as("the token itself is never stored")
        .isZero();
  }

  @Test
  void aPasswordResetLinkSetsANewPasswordOnceAndEndsEverySession() {
    verifiedUser("ada@example.com");
    String session = accounts.signIn("ada@example.com", PASSWORD, "127.0.0.1").sessionToken();

    accounts.requestPasswordReset("ada@example.com");
    String link = lastLink("reset-password");
    assertThatThrownBy(() -> accounts.resetPassword(link, "short"))
        .isInstanceOf(AccountRefusedException.class);
    accounts.resetPassword(link, "a brand new passphrase");

    assertThat(accounts.currentUser(session)).isEmpty();
    assertThatThrownBy(() -> accounts.signIn("ada@example.com", PASSWORD, "127.0.0.1"))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(accounts.signIn("ada@example.com", "a brand new passphrase", "127.0.0.1"))
        .isNotNull();
    assertThatThrownBy(() -> accounts.resetPassword(link, "yet another passphrase"))
        .isInstanceOf(AccountRefusedException.class)
        .hasMessageContaining("not valid");
  }

  @Test
  void aResetLinkExpiresAndAResetForAnUnknownAddressSendsNothing() {
    verifiedUser("ada@example.com");
    int mailsBefore = outbox.size();
    accounts.requestPasswordReset("nobody@example.com");
    assertThat(outbox).hasSize(mailsBefore);

    accounts.requestPasswordReset("ada@example.com");
    String link = lastLink("reset-password");
    clock.advance(AccountService.RESET_LINK_LIFETIME.plusSeconds(1));
    assertThatThrownBy(() -> accounts.resetPassword(link, "a brand new passphrase"))
        .isInstanceOf(AccountRefusedException.class);
  }

  @Test
  void aLinkUsedConcurrentlySucceedsOnce() throws Exception {
    accounts.signUp("ada@example.com", "Ada", PASSWORD);
    String link = lastLink("verify-email");
    List<Thread> threads = new ArrayList<>();
    List<Boolean> outcomes = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  accounts.verifyEmail(link);
                  outcomes.add(true);
                } catch (AccountRefusedException e) {
                  outcomes.add(false);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(outcomes).hasSize(8).containsOnlyOnce(true);
  }

  private User verifiedUser(String email) {
    return people.verifiedUser(email);
  }

  private String lastLink(String page) {
    return people.lastLink(page);
  }
}
