package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The people with an account, their identities at single sign-on providers and their memberships.
 * Methods taking a {@link UnitOfWork} act inside the caller's transaction; the others run their
 * own.
 */
public interface UserRepository {

  /** A user with the stored password hash, for the sign-in check only. */
  record Credentials(User user, String passwordHash) {}

  void insert(UnitOfWork u, User user, String passwordHash);

  void addMembership(UnitOfWork u, OrganizationId org, UserId user, Role role, Instant now);

  /** Whether an account uses this (normalized) address; locks nothing. */
  boolean emailTaken(UnitOfWork u, String email);

  Optional<Credentials> credentials(String email);

  Optional<User> find(UserId id);

  Optional<User> find(UnitOfWork u, UserId id);

  Optional<User> findByEmail(String email);

  Optional<User> findByEmail(UnitOfWork u, String email);

  /** Marks the address verified; true the first time. */
  boolean markVerified(UnitOfWork u, UserId id, Instant now);

  void setPasswordHash(UnitOfWork u, UserId id, String hash, Instant now);

  /** The user an identity at an OpenID Connect provider signs in as. */
  Optional<User> findByIdentity(String issuer, String subject);

  Optional<User> findByIdentity(UnitOfWork u, String issuer, String subject);

  void linkIdentity(UnitOfWork u, String issuer, String subject, UserId user, Instant now);

  /** Whether the user can sign in through single sign-on (has a linked identity). */
  boolean hasIdentity(UnitOfWork u, UserId user);

  /** The name of an organization of the user's that requires single sign-on, if any. */
  Optional<String> organizationRequiringSso(UserId user);

  /** The organizations the user belongs to: the personal one first, then by name. */
  List<Membership> memberships(UserId user);
}
