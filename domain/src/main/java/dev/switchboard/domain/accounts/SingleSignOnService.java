package dev.switchboard.domain.accounts;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.tenancy.Organization;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-in through an OpenID Connect provider (Keycloak). A known identity signs in as its user; an
 * unknown one is linked to the local account of its e-mail address only when both the provider and
 * the account have verified that address, and otherwise becomes a new user with a personal
 * organization, as at sign-up, but without a password.
 */
public final class SingleSignOnService {

  private final TransactionRunner transactions;
  private final UserRepository users;
  private final OrganizationRepository organizations;
  private final SessionRepository sessions;
  private final Clock clock;

  public SingleSignOnService(
      TransactionRunner transactions,
      UserRepository users,
      OrganizationRepository organizations,
      SessionRepository sessions,
      Clock clock) {
    this.transactions = transactions;
    this.users = users;
    this.organizations = organizations;
    this.sessions = sessions;
    this.clock = clock;
  }

  /**
   * The identity's user, linked or created on its first sign-in, with a new session.
   *
   * @throws AccountRefusedException when the provider shares no verified e-mail address for an
   *     identity seen for the first time, or the local account of that address has not verified it
   */
  public AccountService.SignedIn signIn(VerifiedIdentity identity) {
    Instant now = clock.instant();
    return transactions.inTransaction(
        c -> {
          Optional<User> known = users.findByIdentity(c, identity.issuer(), identity.subject());
          User user;
          if (known.isPresent()) {
            user = known.get();
          } else {
            if (identity.email() == null || !identity.emailVerified()) {
              throw new AccountRefusedException(
                  "Your identity provider has not verified your e-mail address, so Switchboard"
                      + " cannot sign you in with it. Verify it there, then try again.");
            }
            String email = EmailAddress.normalize(identity.email());
            Optional<User> local = users.findByEmail(c, email);
            if (local.isPresent() && !local.get().emailVerified()) {
              // only the provider's verified owner of the address reads this
              throw new AccountRefusedException(
                  "Your Switchboard account with this address has not verified it yet: sign in"
                      + " with your password and follow the link we e-mail you (or reset your"
                      + " password), then sign in with SSO again.");
            }
            user = local.isPresent() ? local.get() : create(c, email, identity, now);
            users.linkIdentity(c, identity.issuer(), identity.subject(), user.id(), now);
          }
          return new AccountService.SignedIn(sessions.start(c, user.id()), user);
        });
  }

  private User create(Connection c, String email, VerifiedIdentity identity, Instant now)
      throws SQLException {
    String displayName = displayName(identity.name(), email);
    Organization personal = organizations.found(c, displayName, true);
    User user = new User(UserId.newId(), email, displayName, true, personal.id(), now);
    users.insert(c, user, null);
    users.markVerified(c, user.id(), now);
    users.addMembership(c, personal.id(), user.id(), Role.OWNER, now);
    return user;
  }

  /** The provider's name for the person when it is a fine display name, else the address's user. */
  private static String displayName(String name, String email) {
    try {
      return DisplayNames.check(name, "your name");
    } catch (AccountRefusedException unusable) {
      return email.substring(0, email.indexOf('@'));
    }
  }
}
