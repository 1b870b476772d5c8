package dev.switchboard.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @TempDir Path dataDir;

  @Test
  void keepsDataAcrossRestartsWithDurableSettings() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      try (Connection c = connect(db.coordinates());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v int)");
        s.execute("INSERT INTO kept VALUES (42)");
        assertThat(setting(s, "fsync")).isEqualTo("on");
        assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
        Connection c = connect(db.coordinates());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT v FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void answersOnlyToThePasswordGeneratedIntoTheDataDirectory() throws Exception {
    Path secret = dataDir.resolve("secrets").resolve(EmbeddedDatabase.PASSWORD_SECRET);
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      DatabaseCoordinates coordinates = db.coordinates();
      assertThat(coordinates.ownerPassword())
          .hasSizeGreaterThanOrEqualTo(43)
          .isEqualTo(Files.readString(secret).strip());
      assertThat(Files.getPosixFilePermissions(secret))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      for (String wrong : new String[] {"", "postgres", coordinates.ownerPassword() + "x"}) {
        assertThatThrownBy(
                () ->
                    DriverManager.getConnection(
                            coordinates.jdbcUrl(), coordinates.ownerUser(), wrong)
                        .close())
            .as("connecting with the password '%s'", wrong)
            .isInstanceOf(SQLException.class);
      }
      try (Connection c = connect(coordinates)) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
    String first = Files.readString(secret);
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
        Connection c = connect(db.coordinates())) {
      assertThat(c.isValid(5)).as("the same password after a restart").isTrue();
    }
    assertThat(Files.readString(secret)).isEqualTo(first);
  }

  @Test
  void theApplicationsRoleHasItsOwnPasswordAndNoPowerPastRowLevelSecurity() throws Exception {
    Path secret = dataDir.resolve("secrets").resolve(EmbeddedDatabase.APP_PASSWORD_SECRET);
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
      DatabaseCoordinates coordinates = db.coordinates();
      assertThat(coordinates.appUser()).isEqualTo(EmbeddedDatabase.APP_ROLE);
      assertThat(coordinates.appPassword())
          .isEqualTo(Files.readString(secret).strip())
          .isNotEqualTo(coordinates.ownerPassword());
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                          coordinates.jdbcUrl(), coordinates.appUser(), coordinates.ownerPassword())
                      .close())
          .isInstanceOf(SQLException.class);
      try (Connection c =
              DriverManager.getConnection(
                  coordinates.jdbcUrl(), coordinates.appUser(), coordinates.appPassword());
          Statement s = c.createStatement();
          ResultSet rows =
              s.executeQuery(
                  "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles"
                      + " WHERE rolname = current_user")) {
        rows.next();
        assertThat(rows.getBoolean(1)).as("superuser").isFalse();
        assertThat(rows.getBoolean(2)).as("bypasses row-level security").isFalse();
        assertThat(rows.getBoolean(3)).as("creates roles").isFalse();
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
        Connection c =
            DriverManager.getConnection(
                db.coordinates().jdbcUrl(),
                EmbeddedDatabase.APP_ROLE,
                Files.readString(secret).strip())) {
      assertThat(c.isValid(5)).as("the same role and password after a restart").isTrue();
    }
  }

  @Test
  void takesOverTheDataDirectoryFromAServerWhoseJvmWasKilled() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedDatabaseChild.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(EmbeddedDatabaseChild.READY)) {
        // skip PostgreSQL's start-up output
      }
      assertThat(line).as("child reported a started database").isNotNull();
    }
    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
        Connection c = connect(db.coordinates());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM written_by_child")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }

  private static Connection connect(DatabaseCoordinates coordinates) throws Exception {
    return DriverManager.getConnection(
        coordinates.jdbcUrl(), coordinates.ownerUser(), coordinates.ownerPassword());
  }

  private static String setting(Statement s, String name) throws Exception {
    try (ResultSet rows = s.executeQuery("SHOW " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
