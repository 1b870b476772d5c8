package dev.switchboard.domain.accounts;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.mail.OutgoingMail;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account services on the test database, wired as the application wires them, with an outbox
 * that keeps what they mail, and people with verified addresses.
 */
final class AccountsFixture {

  static final String PASSWORD = "correct horse battery";
  static final String PUBLIC_URL = "https://sb.test";
  private static final Pattern LINK = Pattern.compile("https://sb\\.test/([a-z-]+)\\?token=(\\S+)");

  final List<OutgoingMail> outbox = new CopyOnWriteArrayList<>();
  final UserRepository users;
  final SessionRepository sessions;
  final AccountService accounts;
  final MembershipService memberships;

  AccountsFixture(DomainFixture db, Clock clock) {
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
  User verifiedUser(String email) {
    accounts.signUp(email, "Someone", PASSWORD);
    return accounts.verifyEmail(lastLink("verify-email"));
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
