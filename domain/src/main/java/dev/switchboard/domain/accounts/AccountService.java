package dev.switchboard.domain.accounts;

import dev.switchboard.domain.Digests;
import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.tenancy.Organization;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Local accounts: sign up (with a personal organization), prove the address, sign in and out, and
 * reset a forgotten password. Answers never tell whether an address has an account: sign-up and
 * reset say the same thing either way and e-mail the address's owner instead.
 */
public final class AccountService {

  static final Duration VERIFY_LINK_LIFETIME = Duration.ofHours(24);
  static final Duration RESET_LINK_LIFETIME = Duration.ofMinutes(30);
  static final int ACCOUNT_FAILURE_LIMIT = 5;
  static final int ADDRESS_FAILURE_LIMIT = 20;

  /** A signed-in session: the token goes to the browser, never to a log. */
  public record SignedIn(String sessionToken, User user) {}

  private final EntityTransactions transactions;
  private final UserRepository users;
  private final OrganizationRepository organizations;
  private final SessionRepository sessions;
  private final Mailer mailer;
  private final Clock clock;
  private final LinkBase links;
  private final PasswordHasher hasher = new PasswordHasher();
  private final EmailLinks emailLinks;
  private final SignInThrottle throttle;

  public AccountService(
      EntityTransactions transactions,
      UserRepository users,
      OrganizationRepository organizations,
      SessionRepository sessions,
      Mailer mailer,
      Clock clock,
      String publicUrl) {
    this.transactions = transactions;
    this.users = users;
    this.organizations = organizations;
    this.sessions = sessions;
    this.mailer = mailer;
    this.clock = clock;
    this.links = new LinkBase(publicUrl);
    this.emailLinks = new EmailLinks(clock);
    this.throttle = new SignInThrottle(transactions, clock);
  }

  /**
   * Creates the account, its personal organization (the user its owner) and sends the link that
   * verifies the address. When the address already has an account, nothing is created and its owner
   * is told by e-mail instead.
   *
   * @throws AccountRefusedException when the address, name or password is not acceptable
   */
  public void signUp(String emailText, String displayNameText, String password) {
    String email = EmailAddress.normalize(emailText);
    String displayName = DisplayNames.check(displayNameText, "your name");
    PasswordPolicy.check(password, email);
    String hash = hasher.hash(password);
    Instant now = clock.instant();
    Optional<String> verifyToken =
        transactions.inTransaction(
            u -> {
              if (users.emailTaken(u, email)) {
                return Optional.empty();
              }
              Organization personal = organizations.found(u.connection(), displayName, true);
              User user = new User(UserId.newId(), email, displayName, false, personal.id(), now);
              users.insert(u, user, hash);
              users.addMembership(u, personal.id(), user.id(), Role.OWNER, now);
              return Optional.of(
                  emailLinks.issue(
                      u, user.id(), EmailLinks.Purpose.VERIFY_EMAIL, VERIFY_LINK_LIFETIME));
            });
    if (verifyToken.isPresent()) {
      mailVerification(
          email, "Welcome to Switchboard, " + displayName + ".\n\n", verifyToken.get());
    } else {
      mailer.send(
          new OutgoingMail(
              email,
              "You already have a Switchboard account",
              "Someone tried to sign up to Switchboard with this address, which already has an"
                  + " account.\n\nIf it was you, sign in at "
                  + links.page("signin")
                  + ", or reset your password at "
                  + links.page("forgot-password")
                  + ".\nIf it was not you, ignore this message.\n"));
    }
  }

  /**
   * Follows a verification link once.
   *
   * @throws AccountRefusedException when the link is unknown, used or expired
   */
  public User verifyEmail(String token) {
    return transactions.inTransaction(
        u -> {
          UserId id =
              emailLinks
                  .consume(u, token, EmailLinks.Purpose.VERIFY_EMAIL)
                  .orElseThrow(
                      () ->
                          new AccountRefusedException(
                              "This verification link is not valid: it was used already or has"
                                  + " expired. Sign in to get a new one."));
          users.markVerified(u, id, clock.instant());
          return users.find(u, id).orElseThrow();
        });
  }

  /**
   * Signs in with the address and password, from a client address (for the throttle).
   *
   * @throws SignInThrottledException after too many failures for the account or the address
   * @throws AccountRefusedException when the address or password is wrong (one message for both),
   *     or the address is not verified yet, or one of the user's organizations requires single
   *     sign-on (both said only to someone who knows the password)
   */
  public SignedIn signIn(String emailText, String password, String clientAddress) {
    String email = emailText == null ? "" : emailText.trim().toLowerCase(Locale.ROOT);
    String accountSubject = accountSubject(email);
    String addressSubject = "address:" + clientAddress;
    Optional<Duration> blocked =
        throttle.blockedFor(accountSubject).or(() -> throttle.blockedFor(addressSubject));
    if (blocked.isPresent()) {
      throw new SignInThrottledException(blocked.get());
    }
    Optional<UserRepository.Credentials> found = users.credentials(email);
    boolean matches;
    if (found.isPresent() && found.get().passwordHash() != null && password != null) {
      matches = hasher.matches(password, found.get().passwordHash());
    } else {
      hasher.checkDecoy(password == null ? "" : password);
      matches = false;
    }
    if (!matches) {
      throttle.recordFailure(accountSubject, ACCOUNT_FAILURE_LIMIT);
      throttle.recordFailure(addressSubject, ADDRESS_FAILURE_LIMIT);
      throw new AccountRefusedException("The e-mail address or the password is not right");
    }
    User user = found.get().user();
    if (!user.emailVerified()) {
      resendVerification(user);
      throw new AccountRefusedException(
          "Verify your e-mail address first: we have sent you a new link.");
    }
    // said only to someone who knows the password, so it tells nobody else of the membership
    Optional<String> requiringSso = users.organizationRequiringSso(user.id());
    if (requiringSso.isPresent()) {
      throw new AccountRefusedException(
          "Your organization "
              + requiringSso.get()
              + " requires single sign-on: use Sign in with SSO instead of your password.");
    }
    throttle.clear(accountSubject);
    String token = transactions.inTransaction(u -> sessions.start(u, user.id()));
    return new SignedIn(token, user);
  }

  /** The signed-in user of a session token, while the session lives. */
  public Optional<User> currentUser(String sessionToken) {
    return sessions.user(sessionToken).flatMap(users::find);
  }

  public void signOut(String sessionToken) {
    sessions.end(sessionToken);
  }

  /** E-mails a reset link when the address has an account; says nothing either way. */
  public void requestPasswordReset(String emailText) {
    String email =
        EmailAddress.normalize(emailText); // a malformed address says nothing of accounts
    Optional<User> user = users.findByEmail(email);
    if (user.isEmpty()) {
      return;
    }
    String token =
        transactions.inTransaction(
            u ->
                emailLinks.issue(
                    u, user.get().id(), EmailLinks.Purpose.RESET_PASSWORD, RESET_LINK_LIFETIME));
    mailer.send(
        new OutgoingMail(
            email,
            "Reset your Switchboard password",
            "Open this link to choose a new password (valid for 30 minutes, once):\n"
                + links.withToken("reset-password", token)
                + "\n\nIf you did not ask for this, ignore this message: your password stays as"
                + " it is.\n"));
  }

  /**
   * Sets a new password through a reset link, once; every session of the account ends, and the
   * address counts as verified (the link reached it).
   *
   * @throws AccountRefusedException when the link is not valid or the password not acceptable
   */
  public User resetPassword(String token, String newPassword) {
    Instant now = clock.instant();
    return transactions.inTransaction(
        u -> {
          UserId id =
              emailLinks
                  .consume(u, token, EmailLinks.Purpose.RESET_PASSWORD)
                  .orElseThrow(
                      () ->
                          new AccountRefusedException(
                              "This reset link is not valid: it was used already or has expired."
                                  + " Ask for a new one."));
          User user = users.find(u, id).orElseThrow();
          PasswordPolicy.check(newPassword, user.email());
          users.setPasswordHash(u, id, hasher.hash(newPassword), now);
          users.markVerified(u, id, now);
          sessions.endAll(u, id);
          throttle.clear(accountSubject(user.email()));
          return users.find(u, id).orElseThrow();
        });
  }

  private void resendVerification(User user) {
    String token =
        transactions.inTransaction(
            u ->
                emailLinks.issue(
                    u, user.id(), EmailLinks.Purpose.VERIFY_EMAIL, VERIFY_LINK_LIFETIME));
    mailVerification(user.email(), "", token);
  }

  /** The one verification e-mail, after an optional greeting. */
  private void mailVerification(String email, String greeting, String token) {
    mailer.send(
        new OutgoingMail(
            email,
            "Verify your e-mail address for Switchboard",
            greeting
                + "Open this link to verify your address (valid for 24 hours):\n"
                + links.withToken("verify-email", token)
                + "\n\nIf you did not sign up, ignore this message.\n"));
  }

  /** The throttle's name for an account, known or not, that does not reveal its address. */
  private static String accountSubject(String email) {
    return "account:" + Digests.sha256Hex(email).substring(0, 40);
  }
}
