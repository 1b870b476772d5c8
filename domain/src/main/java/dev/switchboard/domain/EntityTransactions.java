package dev.switchboard.domain;

import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one database transaction with an entity manager of its own: committed when it
 * returns, rolled back when it throws. As {@link TransactionRunner} does for JDBC, each transaction
 * states whose rows it may see ({@link TenantScope}), set on the connection the entity manager uses
 * before any work runs.
 */
public final class EntityTransactions implements AutoCloseable {

  /** Work done inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(UnitOfWork work) throws SQLException;
  }

  private final EntityManagerFactory factory;

  public EntityTransactions(EntityManagerFactory factory) {
    this.factory = factory;
  }

  /** Work that sees and writes {@code org}'s rows only. */
  public <T> T inTenant(OrganizationId org, Work<T> work) {
    return inTransaction(
        u -> {
          TenantScope.enter(u.connection(), org);
          return work.run(u);
        });
  }

  /** Work that sees every organization's rows; see {@link TenantScope#enterAll}. */
  public <T> T acrossTenants(Work<T> work) {
    return inTransaction(
        u -> {
          TenantScope.enterAll(u.connection());
          return work.run(u);
        });
  }

  /**
   * Work without a tenant: it sees no organization's rows until it enters a {@link TenantScope} (as
   * founding an organization does).
   */
  public <T> T inTransaction(Work<T> work) {
    EntityManager entities = factory.createEntityManager();
    try {
      EntityTransaction transaction = entities.getTransaction();
      transaction.begin();
      try {
        // inside a transaction EclipseLink begins the database transaction now and hands out its
        // connection, which every statement of the entity manager then uses
        Connection connection = entities.unwrap(Connection.class);
        T result = work.run(new UnitOfWork(entities, connection));
        transaction.commit();
        return result;
      } catch (SQLException e) {
        transaction.rollback();
        throw new DataAccessException(e);
      } catch (RuntimeException e) {
        if (transaction.isActive()) {
          transaction.rollback();
        }
        throw translated(e);
      }
    } finally {
      entities.close();
    }
  }

  @Override
  public void close() {
    factory.close();
  }

  /** The database's own failure as {@link DataAccessException}, as the JDBC code reports it. */
  private static RuntimeException translated(RuntimeException e) {
    if (!(e instanceof PersistenceException)) {
      return e;
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return new DataAccessException(sql);
      }
    }
    return e;
  }
}
