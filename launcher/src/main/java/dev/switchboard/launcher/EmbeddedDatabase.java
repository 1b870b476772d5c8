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
 * fine for throwaway tests and fatal for a money ledger.
 */
final class EmbeddedDatabase implements AutoCloseable {

  static final String DATABASE_NAME = "switchboard";
  private static final String SUPERUSER = "postgres";
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedDatabase start(Path dataDirectory) throws IOException {
    Path pgData = dataDirectory.resolve("postgres");
    Files.createDirectories(pgData);
    stopStaleServer(pgData);
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
            .start();
    EmbeddedDatabase database = new EmbeddedDatabase(postgres);
    database.createApplicationDatabaseIfMissing();
    return database;
  }

  DatabaseCoordinates coordinates() {
    return new DatabaseCoordinates(postgres.getJdbcUrl(SUPERUSER, DATABASE_NAME), SUPERUSER, "");
  }

  int port() {
    return postgres.getPort();
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
