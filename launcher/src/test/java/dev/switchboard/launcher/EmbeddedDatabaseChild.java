package dev.switchboard.launcher;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Runs in a child JVM that the test kills with SIGKILL, leaving its PostgreSQL server behind. */
public final class EmbeddedDatabaseChild {

  static final String READY = "embedded-database-ready";

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
    DatabaseCoordinates coordinates = db.coordinates();
    try (Connection c =
            DriverManager.getConnection(
                coordinates.jdbcUrl(), coordinates.ownerUser(), coordinates.ownerPassword());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE written_by_child (v int)");
      s.execute("INSERT INTO written_by_child VALUES (1)");
    }
    System.out.println(READY);
    System.out.flush();
    // Block until killed: the test's SIGKILL is the point.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
