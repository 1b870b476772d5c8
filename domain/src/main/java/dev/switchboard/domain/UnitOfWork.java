package dev.switchboard.domain;

import jakarta.persistence.EntityManager;
import java.sql.Connection;

/**
 * One database transaction, reached two ways: through JPA ({@link #entities}) for the account
 * entities, and through JDBC ({@link #connection}) for what stays on SQL (founding an organization,
 * keys, the ledger). Both are the same connection, so they commit or roll back together, under the
 * one {@link TenantScope} the transaction set.
 */
public final class UnitOfWork {

  private final EntityManager entities;
  private final Connection connection;

  UnitOfWork(EntityManager entities, Connection connection) {
    this.entities = entities;
    this.connection = connection;
  }

  public EntityManager entities() {
    return entities;
  }

  /**
   * The transaction's connection, after writing out what the entity manager holds, so that SQL run
   * on it sees every entity persisted or changed so far (an entity read before the SQL changed its
   * row is not refreshed: read it after).
   */
  public Connection connection() {
    entities.flush();
    return connection;
  }
}
