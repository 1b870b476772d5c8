package dev.switchboard.migrations;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, migrated PostgreSQL databases for tests: one real server per test JVM (zonky's embedded
 * one, or the server of {@code SWITCHBOARD_TEST_DB_URL}), one new database per call so tests never
 * share rows.
 */
public final class TestDatabases {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabases() {}

  /** A new, empty database with the current schema. */
  public static DataSource newMigratedDatabase() {
    DataSource dataSource = newEmptyDatabase();
    SchemaMigrator.migrate(dataSource);
    return dataSource;
  }

  /** A new database without any schema. */
  public static synchronized DataSource newEmptyDatabase() {
    String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    PGSimpleDataSource admin = adminDataSource();
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
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
