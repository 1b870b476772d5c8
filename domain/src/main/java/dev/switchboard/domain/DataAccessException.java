package dev.switchboard.domain;

import java.sql.SQLException;

/** The database failed; callers answer 503, never a stack trace. */
public final class DataAccessException extends RuntimeException {

  public DataAccessException(SQLException cause) {
    super(
        "database error: " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
  }

  public String sqlState() {
    return ((SQLException) getCause()).getSQLState();
  }
}
