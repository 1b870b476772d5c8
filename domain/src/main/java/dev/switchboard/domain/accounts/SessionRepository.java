package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import java.util.Optional;

/**
 * Signed-in sessions, kept in the database so that every instance agrees on them: a session ends
 * when its person signs out, when it reaches its lifetime, and when the password is reset.
 */
public interface SessionRepository {

  /** A new session's token (plaintext, for the browser only), inside the caller's transaction. */
  String start(UnitOfWork u, UserId user);

  /** The user of a live session; empty once it has ended or expired, or for any other token. */
  Optional<UserId> user(String token);

  /** Signs the session out. */
  void end(String token);

  /** Ends every session of the user (after a password reset), inside the caller's transaction. */
  void endAll(UnitOfWork u, UserId user);
}
