package dev.switchboard.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server (zonky's packaged binaries) keeping its files in the data directory, so
 * data survives restarts. Durability settings are forced on: zonky defaults to fsync off, which is
 * fine for throwaway tests and fatal for a money ledger. It answers on 127.0.0.1 only, and only to
 * a password (SCRAM): its superuser's is generated into {@code secrets/database-password} of the
 * data directory at the first start. (zonky's {@code initdb} trusts local connections; the first
 * start sets the password and then requires it, before the application connects.)
 *
 * <p>The superuser owns the schema and migrates it. The application runs as {@value #APP_ROLE}, a
 * role that owns nothing and may not bypass row-level security, with a password of its own in
 * {@code secrets/database-app-password}.
 */
final class EmbeddedDatabase implements AutoCloseable {

  static final String DATABASE_NAME = "switchboard";
  private static final String SUPERUSER = "postgres";
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

  static final String PASSWORD_SECRET = "database-password";
  static final String APP_ROLE = "switchboard_app";
  static final String APP_PASSWORD_SECRET = "database-app-password";
  private static final String PASSWORD_ONLY =
      "# Written by Switchboard: every connection needs the password kept in the data directory.\n"
          + "local all all scram-sha-256\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n"
          + "host all all ::1/128 scram-sha-256\n";

  private final EmbeddedPostgres postgres;
  private final String password;
  private final String appPassword;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password, String appPassword) {
    this.postgres = postgres;
    this.password = password;
    this.appPassword = appPassword;
  }

  static EmbeddedDatabase start(Path dataDirectory) throws IOException {
    Path pgData = dataDirectory.resolve("postgres");
    Files.createDirectories(pgData);
    stopStaleServer(pgData);
    String password = GeneratedSecret.read(dataDirectory, PASSWORD_SECRET);
    String appPassword = GeneratedSecret.read(dataDirectory, APP_PASSWORD_SECRET);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            // stopped by the launcher once the application has written what it holds, not by a hook
            // of its own running alongside the application's shutdown
            .setRegisterShutdownHook(false)
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "100")
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("password_encryption", "scram-sha-256")
            .setConnectConfig("password", password)
            .start();
    EmbeddedDatabase database = new EmbeddedDatabase(postgres, password, appPassword);
    database.requirePassword(pgData);
    database.createApplicationDatabaseIfMissing();
    database.createApplicationRole();
    return database;
  }

  DatabaseCoordinates coordinates() {
    return new DatabaseCoordinates(
        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE_NAME,
        SUPERUSER,
        password,
        APP_ROLE,
        appPassword);
  }

  int port() {
    return postgres.getPort();
  }

  /**
   * Gives the superuser its generated password and makes the server require it, once: a data
   * directory made by an earlier version (which trusted every local connection) is upgraded too.
   */
  private void requirePassword(Path pgData) throws IOException {
    Path hba = pgData.resolve("pg_hba.conf");
    if (Files.readString(hba, StandardCharsets.UTF_8).equals(PASSWORD_ONLY)) {
      return;
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // the password is ours, URL-safe base64: nothing in it needs escaping in a literal
      statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
      Files.writeString(hba, PASSWORD_ONLY, StandardCharsets.UTF_8);
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("could not set the embedded database's password", e);
    }
  }

  private void createApplicationDatabaseIfMissing() throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      try (PreparedStatement exists =
          connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, DATABASE_NAME);
        try (ResultSet rows = exists.executeQuery()) {
          if (rows.next()) {
            return;
          }
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + DATABASE_NAME);
      }
    } catch (SQLException e) {
      throw new IOException("could not create the database " + DATABASE_NAME, e);
    }
  }

  /**
   * Creates the application's role on the first start, and at every start gives it the password
   * kept in the data directory and takes away anything that would let it past row-level security.
   * Its privileges on the tables are granted after each migration.
   */
  private void createApplicationRole() throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + APP_ROLE
              + "') THEN CREATE ROLE "
              + APP_ROLE
              + "; END IF; END $$");
      // the password is ours, URL-safe base64: nothing in it needs escaping in a literal
      statement.execute(
          "ALTER ROLE "
              + APP_ROLE
              + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '"
              + appPassword
              + "'");
    } catch (SQLException e) {
      throw new IOException("could not create the application's database role", e);
    }
  }

  /**
   * After a {@code kill -9} of the JVM, its PostgreSQL child keeps running and holds the data
   * directory; stop it so this start can take over. A pid file whose process is gone is simply
   * stale.
   */
  static void stopStaleServer(Path pgData) throws IOException {
    Optional<Long> pid = postmasterPid(pgData);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || !isPostgres(process.get())) {
      return;
    }
    LOG.warning(
        "stopping a PostgreSQL server left running on " + pgData + " (pid " + pid.get() + ")");
    // SIGTERM: PostgreSQL's smart shutdown; its clients died with the previous JVM.
    process.get().destroy();
    try {
      process.get().onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("the stale PostgreSQL server (pid " + pid.get() + ") did not stop", e);
    }
  }

  private static Optional<Long> postmasterPid(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("postgres")).orElse(true);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
