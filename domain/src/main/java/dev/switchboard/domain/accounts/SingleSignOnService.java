package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.Organization;
import dev.switchboard.domain.tenancy.OrganizationRepository;
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

  private final EntityTransactions transactions;
  private final UserRepository users;
  private final OrganizationRepository organizations;
  private final SessionRepository sessions;
  private final Clock clock;

  public SingleSignOnService(
      EntityTransactions transactions,
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
        u -> {
          Optional<User> known = users.findByIdentity(u, identity.issuer(), identity.subject());
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
            Optional<User> local = users.findByEmail(u, email);
            if (local.isPresent() && !local.get().emailVerified()) {
              // only the provider's verified owner of the address reads this
              throw new AccountRefusedException(
                  "Your Switchboard account with this address has not verified it yet: sign in"
                      + " with your password and follow the link we e-mail you (or reset your"
                      + " password), then sign in with SSO again.");
            }
            user = local.isPresent() ? local.get() : create(u, email, identity, now);
            users.linkIdentity(u, identity.issuer(), identity.subject(), user.id(), now);
          }
          return new AccountService.SignedIn(sessions.start(u, user.id()), user);
        });
  }

  private User create(UnitOfWork u, String email, VerifiedIdentity identity, Instant now)
      throws SQLException {
    String displayName = displayName(identity.name(), email);
    Organization personal = organizations.found(u.connection(), displayName, true);
    User user = new User(UserId.newId(), email, displayName, true, personal.id(), now);
    users.insert(u, user, null);
    users.markVerified(u, user.id(), now);
    users.addMembership(u, personal.id(), user.id(), Role.OWNER, now);
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
