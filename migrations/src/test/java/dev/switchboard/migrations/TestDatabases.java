package dev.switchboard.migrations;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, migrated PostgreSQL databases for tests: one real server per test JVM (zonky's embedded
 * one, or the server of {@code SWITCHBOARD_TEST_DB_URL}), one new database per call so tests never
 * share rows. Like the platform, a test reaches each database as two roles: the owner that migrated
 * it (a superuser, past row-level security, for setting up and checking rows) and the application's
 * role, which row-level security holds.
 */
public final class TestDatabases {

  /** The application's role on the test server. */
  public static final String APPLICATION_ROLE = "switchboard_app";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String APPLICATION_PASSWORD = UUID.randomUUID().toString();
  private static EmbeddedPostgres server;
  private static boolean applicationRoleCreated;
  private static String template;

  private TestDatabases() {}

  /** A database with the current schema, as its owner and as the application. */
  public record Migrated(DataSource owner, DataSource application) {}

  /** A new, empty database with the current schema, reached as its owner. */
  public static DataSource newMigratedDatabase() {
    return newMigratedDatabaseWithApplicationRole().owner();
  }

  /**
   * A new, empty database with the current schema and the application's role granted on it: a copy
   * of one database migrated once per test JVM ({@code CREATE DATABASE ... TEMPLATE}), which is
   * many times faster than migrating each.
   */
  public static synchronized Migrated newMigratedDatabaseWithApplicationRole() {
    if (template == null) {
      PGSimpleDataSource migrated = (PGSimpleDataSource) newEmptyDatabase();
      createApplicationRole();
      SchemaMigrator.migrate(migrated, APPLICATION_ROLE);
      template = migrated.getDatabaseName();
    }
    PGSimpleDataSource owner = (PGSimpleDataSource) newDatabase(" TEMPLATE " + template);
    PGSimpleDataSource application = adminDataSource();
    application.setDatabaseName(owner.getDatabaseName());
    application.setUser(APPLICATION_ROLE);
    application.setPassword(APPLICATION_PASSWORD);
    return new Migrated(owner, application);
  }

  private static void createApplicationRole() {
    if (applicationRoleCreated) {
      return;
    }
    try (Connection c = adminDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + APPLICATION_ROLE
              + "') THEN CREATE ROLE "
              + APPLICATION_ROLE
              + " LOGIN; END IF; END $$");
      s.execute(
          "ALTER ROLE "
              + APPLICATION_ROLE
              + " LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '"
              + APPLICATION_PASSWORD
              + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the application's test role", e);
    }
    applicationRoleCreated = true;
  }

  /** A new database without any schema. */
  public static synchronized DataSource newEmptyDatabase() {
    return newDatabase("");
  }

  private static DataSource newDatabase(String options) {
    String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    PGSimpleDataSource admin = adminDataSource();
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + options);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    PGSimpleDataSource dataSource = adminDataSource();
    dataSource.setDatabaseName(name);
    return dataSource;
  }

  private static PGSimpleDataSource adminDataSource() {
    String external = System.getenv("SWITCHBOARD_TEST_DB_URL");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    if (external != null && !external.isBlank()) {
      dataSource.setURL(external);
      return dataSource;
    }
    dataSource.setServerNames(new String[] {"127.0.0.1"});
    dataSource.setPortNumbers(new int[] {embeddedServer().getPort()});
    dataSource.setDatabaseName("postgres");
    dataSource.setUser("postgres");
    return dataSource;
  }

  private static EmbeddedPostgres embeddedServer() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::stopServer));
    }
    return server;
  }

  private static void stopServer() {
    try {
      server.close();
    } catch (IOException e) {
      // the JVM is exiting; the temporary server directory goes with it
    }
  }
}
