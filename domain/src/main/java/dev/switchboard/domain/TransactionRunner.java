package dev.switchboard.domain;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one database transaction: committed when it returns, rolled back when it throws. */
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
   * Work of one organization, in one transaction. Until row-level security is in place this is
   * {@link #inTransaction}; callers already say whose rows they touch.
   */
  public <T> T inTenant(dev.switchboard.domain.tenancy.OrganizationId org, Work<T> work) {
    java.util.Objects.requireNonNull(org, "org");
    return inTransaction(work);
  }

  /**
   * Work with no tenant yet (a webhook finding the checkout it concerns), explicitly across
   * organizations, in one transaction.
   */
  public <T> T acrossTenants(Work<T> work) {
    return inTransaction(work);
  }

  /** Work on a connection in auto-commit mode, for single-statement reads. */
  public <T> T withConnection(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new DataAccessException(e);
    }
  }
}
