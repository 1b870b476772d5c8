package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Sessions through JPA, each known by the SHA-256 of its token. */
public final class JpaSessionRepository implements SessionRepository {

  private final EntityTransactions transactions;
  private final Clock clock;
  private final Duration lifetime;

  public JpaSessionRepository(EntityTransactions transactions, Clock clock, Duration lifetime) {
    this.transactions = transactions;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  @Override
  public String start(UnitOfWork u, UserId user) {
    Instant now = clock.instant();
    String token = SecretToken.generate();
    u.entities().persist(new SignInSession(SecretToken.hash(token), user, now, now.plus(lifetime)));
    return token;
  }

  @Override
  public Optional<UserId> user(String token) {
    Instant now = clock.instant();
    return transactions.inTransaction(
        u ->
            Optional.ofNullable(u.entities().find(SignInSession.class, SecretToken.hash(token)))
                .filter(s -> s.isLive(now))
                .map(SignInSession::user));
  }

  @Override
  public void end(String token) {
    Instant now = clock.instant();
    transactions.inTransaction(
        u -> {
          SignInSession session = u.entities().find(SignInSession.class, SecretToken.hash(token));
          if (session != null) {
            session.end(now);
          }
          return null;
        });
  }

  @Override
  public void endAll(UnitOfWork u, UserId user) {
    u.entities()
        .createQuery(
            "UPDATE SignInSession s SET s.endedAt = :now"
                + " WHERE s.userId = :user AND s.endedAt IS NULL")
        .setParameter("now", clock.instant())
        .setParameter("user", user.value())
        .executeUpdate();
  }
}
