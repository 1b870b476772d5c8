package dev.switchboard.webui.e2e;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.accounts.AccountsPersistenceUnit;
import dev.switchboard.domain.accounts.JpaSessionRepository;
import dev.switchboard.domain.accounts.JpaUserRepository;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * People of a running instance for API tests that need members: accounts made with the domain's own
 * services on the instance's database (what the sign-up page does), and invitations accepted with
 * the link the instance printed to its console (no SMTP server is configured there).
 */
final class People {

  static final String PASSWORD = "a long enough passphrase";
  private static final Pattern VERIFY = Pattern.compile("verify-email\\?token=(\\S+)");
  private static final Duration LOG_WAIT = Duration.ofSeconds(10);

  private final RunningSwitchboard switchboard;
  private final List<OutgoingMail> outbox = new CopyOnWriteArrayList<>();
  private final UserRepository users;
  private final AccountService accounts;
  private final MembershipService memberships;
  private final ApiKeyRepository keys;
  private final OrganizationRepository organizations;

  People(RunningSwitchboard switchboard) {
    this.switchboard = switchboard;
    PGSimpleDataSource data = new PGSimpleDataSource();
    data.setUrl(switchboard.databaseUrl());
    data.setUser(RunningSwitchboard.DATABASE_USER);
    data.setPassword(switchboard.databasePassword());
    TransactionRunner transactions = new TransactionRunner(data);
    EntityTransactions accountTransactions = AccountsPersistenceUnit.open(data);
    Clock clock = Clock.systemUTC();
    users = new JpaUserRepository(accountTransactions);
    keys = new ApiKeyRepository(transactions, clock);
    organizations =
        new OrganizationRepository(transactions, keys, new Ledger(transactions, clock), clock);
    accounts =
        new AccountService(
            accountTransactions,
            users,
            organizations,
            new JpaSessionRepository(accountTransactions, clock, Duration.ofHours(1)),
            outbox::add,
            clock,
            switchboard.uri("").toString());
    memberships =
        new MembershipService(
            accountTransactions,
            organizations,
            users,
            outbox::add,
            clock,
            switchboard.uri("").toString());
  }

  /** A person with a verified address (and their personal organization). */
  User verified(String email) {
    accounts.signUp(email, email.substring(0, email.indexOf('@')), PASSWORD);
    Matcher link = VERIFY.matcher(outbox.get(outbox.size() - 1).text());
    if (!link.find()) {
      throw new AssertionError("no verification link was mailed to " + email);
    }
    return accounts.verifyEmail(link.group(1));
  }

  /** A key {@code user} created in the organization (as the Keys page does); its plaintext. */
  String keyCreatedBy(User user, String orgId) {
    OrganizationId org = new OrganizationId(UUID.fromString(orgId));
    return keys.createFor(
            org,
            organizations.find(org).orElseThrow().defaultWorkspaceId(),
            new KeySettings(user.displayName() + "'s key", null, null, null),
            user.id().value())
        .plaintext();
  }

  /** Accepts, as {@code user}, the invitation the instance last printed for their address. */
  void acceptInvitation(User user) {
    acceptInvitation(user, printedLink(switchboard, user.email(), "invitation"));
  }

  /** Accepts, as {@code user}, the invitation behind the link (as mailed by an SMTP server). */
  void acceptInvitation(User user, String link) {
    memberships.accept(link.substring(link.indexOf("token=") + "token=".length()), user.id());
  }

  /**
   * The last link to {@code page} that the instance printed in an e-mail to {@code email} (it
   * prints e-mail when no SMTP server is configured), waiting for its log to show it.
   */
  static String printedLink(RunningSwitchboard switchboard, String email, String page) {
    Pattern printed =
        Pattern.compile(
            "E-mail to "
                + Pattern.quote(email)
                + ": [^\\n]*\\(not sent: no SMTP server is configured\\)\\n"
                + "(?:[^\\n]*\\n){0,12}?[^\\n]*?(https?://\\S+/"
                + page
                + "\\?token=\\S+)");
    long deadline = System.nanoTime() + LOG_WAIT.toNanos();
    while (true) {
      Matcher found = printed.matcher(switchboard.logText());
      String link = null;
      while (found.find()) {
        link = found.group(1);
      }
      if (link != null) {
        return link;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the instance printed no " + page + " link for " + email);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the log is copied by a thread
    }
  }
}
