package dev.switchboard.domain.accounts;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account services on the test database, wired as the application wires them, with an outbox
 * that keeps what they mail, and people with verified addresses.
 */
public final class AccountsFixture {

  static final String PASSWORD = "correct horse battery";
  static final String PUBLIC_URL = "https://sb.test";
  private static final Pattern LINK = Pattern.compile("https://sb\\.test/([a-z-]+)\\?token=(\\S+)");

  final List<OutgoingMail> outbox = new CopyOnWriteArrayList<>();
  final UserRepository users;
  final SessionRepository sessions;
  final AccountService accounts;
  final MembershipService memberships;

  private final DomainFixture db;
  private final Clock clock;

  public AccountsFixture(DomainFixture db, Clock clock) {
    this.db = db;
    this.clock = clock;
    users = new JpaUserRepository(db.accountTransactions);
    sessions = new JpaSessionRepository(db.accountTransactions, clock, Duration.ofHours(12));
    accounts =
        new AccountService(
            db.accountTransactions,
            users,
            db.organizations,
            sessions,
            outbox::add,
            clock,
            PUBLIC_URL);
    memberships =
        new MembershipService(
            db.accountTransactions, db.organizations, users, outbox::add, clock, PUBLIC_URL);
  }

  /** A person who signed up with {@link #PASSWORD} and followed the verification link. */
  public User verifiedUser(String email) {
    accounts.signUp(email, "Someone", PASSWORD);
    return accounts.verifyEmail(lastLink("verify-email"));
  }

  /** A new verified person with {@code role} in the organization. */
  public User memberOf(OrganizationId org, Role role) {
    User user = verifiedUser(role.wireName() + "-" + UUID.randomUUID() + "@example.com");
    db.accountTransactions.inTenant(
        org,
        u -> {
          users.addMembership(u, org, user.id(), role, clock.instant());
          return null;
        });
    return user;
  }

  /** The token of the newest e-mailed link to that page. */
  String lastLink(String page) {
    for (int i = outbox.size() - 1; i >= 0; i--) {
      Matcher link = LINK.matcher(outbox.get(i).text());
      if (link.find() && link.group(1).equals(page)) {
        return link.group(2);
      }
    }
    throw new AssertionError("no " + page + " link was mailed: " + outbox);
  }
}
