package dev.switchboard.domain;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: committed when it returns, rolled back when it throws.
 * Each transaction states whose rows it may see ({@link TenantScope}): one organization's ({@link
 * #inTenant}), every organization's ({@link #acrossTenants}), or none, for the tables that belong
 * to no tenant (users, their sessions and links: {@link #inTransaction}).
 */
public final class TransactionRunner {

  /** Work done on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public TransactionRunner(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Work that sees and writes {@code org}'s rows only. */
  public <T> T inTenant(OrganizationId org, Work<T> work) {
    return inTransaction(
        c -> {
          TenantScope.enter(c, org);
          return work.run(c);
        });
  }

  /** Work that sees every organization's rows; see {@link TenantScope#enterAll}. */
  public <T> T acrossTenants(Work<T> work) {
    return inTransaction(
        c -> {
          TenantScope.enterAll(c);
          return work.run(c);
        });
  }

  /**
   * Work without a tenant: it sees no organization's rows until it enters a {@link TenantScope} (as
   * founding an organization does).
   */
  public <T> T inTransaction(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DataAccessException(e);
    }
  }

  /**
   * Work on a connection in auto-commit mode, for single statements on tables that belong to no
   * tenant (a tenant scope lasts one transaction, so none applies here).
   */
  public <T> T withConnection(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new DataAccessException(e);
    }
  }
}
