package dev.switchboard.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings a database to the current schema, as the role that owns it. Flyway owns the schema; JPA
 * never generates it. The application itself connects as another role, which owns nothing and gets
 * only the privileges it needs, so that row-level security holds for it (V10).
 */
public final class SchemaMigrator {

  /** A plain, unquoted PostgreSQL role name: nothing in it needs quoting or could inject SQL. */
  private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private SchemaMigrator() {}

  /** A datasource for the migrations, as the owner; not pooled: it serves one migration. */
  public static DataSource connect(String url, String user, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    dataSource.setUser(user);
    dataSource.setPassword(password);
    dataSource.setApplicationName("switchboard-migrations");
    return dataSource;
  }

  /** Applies pending migrations and returns the schema version now in place. */
  public static String migrate(DataSource owner) {
    MigrateResult result =
        Flyway.configure(SchemaMigrator.class.getClassLoader())
            .dataSource(owner)
            .locations("classpath:db/migration")
            .failOnMissingLocations(true)
            .load()
            .migrate();
    return result.targetSchemaVersion != null
        ? result.targetSchemaVersion
        : result.initialSchemaVersion;
  }

  /**
   * Applies pending migrations, then gives {@code applicationRole} what the application needs on
   * every table and sequence (again at every start, so tables added since are covered): reading and
   * writing rows, except changing or deleting ledger rows, which are append-only by privilege as
   * well as by trigger, and nothing on Flyway's own history.
   */
  public static String migrate(DataSource owner, String applicationRole) {
    if (!ROLE_NAME.matcher(applicationRole).matches()) {
      throw new IllegalArgumentException(
          "the application's database role must be a plain lower-case name, got "
              + applicationRole);
    }
    String version = migrate(owner);
    String role = '"' + applicationRole + '"';
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      String schema = '"' + currentSchema(s) + '"';
      s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
      s.execute(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
      s.execute("REVOKE UPDATE, DELETE ON ledger_transactions, ledger_entries FROM " + role);
      s.execute("REVOKE ALL ON flyway_schema_history FROM " + role);
      s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
      s.execute("GRANT EXECUTE ON ALL ROUTINES IN SCHEMA " + schema + " TO " + role);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not grant the application's role " + applicationRole + " its privileges", e);
    }
    return version;
  }

  /**
   * Why row-level security would not hold for connections made as {@code role}, if it would not:
   * PostgreSQL never applies it to a superuser or a role with BYPASSRLS, and the tables' owner
   * could switch it off.
   */
  public static Optional<String> rowSecurityBypassedBy(DataSource owner, String role) {
    try (Connection c = owner.getConnection();
        PreparedStatement query =
            c.prepareStatement(
                "SELECT rolsuper, rolbypassrls,"
                    + " EXISTS (SELECT 1 FROM pg_tables WHERE tableowner = rolname)"
                    + " FROM pg_roles WHERE rolname = ?")) {
      query.setString(1, role);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return Optional.of("the role " + role + " does not exist");
        }
        if (rows.getBoolean(1)) {
          return Optional.of(role + " is a superuser");
        }
        if (rows.getBoolean(2)) {
          return Optional.of(role + " has BYPASSRLS");
        }
        if (rows.getBoolean(3)) {
          return Optional.of(role + " owns tables and could switch row-level security off");
        }
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the database role " + role, e);
    }
  }

  private static String currentSchema(Statement s) throws SQLException {
    try (ResultSet rows = s.executeQuery("SELECT current_schema()")) {
      rows.next();
      return rows.getString(1);
    }
  }
}
