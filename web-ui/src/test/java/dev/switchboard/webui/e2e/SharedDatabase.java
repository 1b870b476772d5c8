package dev.switchboard.webui.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * One PostgreSQL, started by the test on 127.0.0.1, that several jars share as an external database
 * ({@code SWITCHBOARD_DB_URL}): the supported way to run more than one instance. The jars migrate
 * it as its owner ({@code postgres}) and run as {@code switchboard_app}, a role that owns nothing,
 * so row-level security holds them as in production.
 */
public final class SharedDatabase implements AutoCloseable {

  static final String OWNER = "postgres";
  static final String OWNER_PASSWORD = "shared-owner-password";
  static final String APP_ROLE = "switchboard_app";
  static final String APP_PASSWORD = "shared-app-password";
  private static final String DATABASE = "switchboard";

  private final EmbeddedPostgres postgres;

  private SharedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static SharedDatabase start() {
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .start();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("ALTER ROLE " + OWNER + " PASSWORD '" + OWNER_PASSWORD + "'");
        s.execute("CREATE DATABASE " + DATABASE);
        s.execute(
            "CREATE ROLE "
                + APP_ROLE
                + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '"
                + APP_PASSWORD
                + "'");
      }
      return new SharedDatabase(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
  }

  /** What points a jar at this database, as an operator would configure it. */
  public Map<String, String> environment() {
    return Map.of(
        "SWITCHBOARD_DB_URL", url(),
        "SWITCHBOARD_DB_USER", OWNER,
        "SWITCHBOARD_DB_PASSWORD", OWNER_PASSWORD,
        "SWITCHBOARD_DB_APP_USER", APP_ROLE,
        "SWITCHBOARD_DB_APP_PASSWORD", APP_PASSWORD);
  }

  /** A connection as the owner, past row-level security: for checking what the instances wrote. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), OWNER, OWNER_PASSWORD);
  }

  /** The one number a query with text parameters finds, e.g. a count of a key's reservations. */
  public long queryLong(String sql, String... parameters) {
    try (Connection c = connect();
        PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new AssertionError("no row for " + sql);
        }
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
