package dev.switchboard.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL itself keeps organizations apart for the application's role, whatever a query forgets
 * to say: each transaction sees and writes the rows of the organization it is set to, and no
 * tenant's rows without one.
 */
class RowLevelSecurityTest {

  private static TestDatabases.Migrated db;
  private static final UUID ACME = UUID.randomUUID();
  private static final UUID GLOBEX = UUID.randomUUID();

  @BeforeAll
  static void twoOrganizations() throws SQLException {
    db = TestDatabases.newMigratedDatabaseWithApplicationRole();
    try (Connection c = db.owner().getConnection();
        Statement s = c.createStatement()) {
      for (UUID org : List.of(ACME, GLOBEX)) {
        s.execute(
            "INSERT INTO organizations (id, name, created_at) VALUES ('" + org + "', 'O', now())");
        s.execute(
            "INSERT INTO workspaces VALUES ('"
                + UUID.randomUUID()
                + "', '"
                + org
                + "', 'Default', true, now())");
        s.execute(
            "INSERT INTO ledger_accounts (org_id, kind) VALUES ('" + org + "', 'org_credits')");
      }
    }
  }

  @Test
  void everyTableCarryingATenantIsHeldByAForcedPolicy() throws SQLException {
    List<String> unguarded = new ArrayList<>();
    try (Connection c = db.owner().getConnection();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT t.relname FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
                    + " WHERE n.nspname = current_schema() AND t.relkind = 'r'"
                    + " AND (t.relname = 'organizations' OR EXISTS (SELECT 1 FROM pg_attribute a"
                    + " WHERE a.attrelid = t.oid AND a.attname = 'org_id' AND NOT a.attisdropped))"
                    + " AND NOT (t.relrowsecurity AND t.relforcerowsecurity"
                    + " AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = t.oid))")) {
      while (rows.next()) {
        unguarded.add(rows.getString(1));
      }
    }
    assertThat(unguarded).as("tables with org_id but no forced row-level security").isEmpty();
  }

  @Test
  void withoutATenantTheApplicationSeesNoTenantsRows() throws SQLException {
    try (Connection c = db.application().getConnection()) {
      assertThat(count(c, "organizations")).isZero();
      assertThat(count(c, "workspaces")).isZero();
      assertThat(count(c, "ledger_accounts WHERE org_id IS NOT NULL")).isZero();
    }
  }

  @Test
  void inATenantTheApplicationSeesThatTenantsRowsOnly() throws SQLException {
    try (Connection c = db.application().getConnection()) {
      c.setAutoCommit(false);
      enter(c, ACME);
      assertThat(count(c, "organizations")).isEqualTo(1);
      assertThat(count(c, "organizations WHERE id = '" + GLOBEX + "'")).isZero();
      assertThat(count(c, "workspaces")).isEqualTo(1);
      assertThat(count(c, "ledger_accounts WHERE org_id IS NOT NULL")).isEqualTo(1);
      // the platform's own accounts are posted to from every tenant: operator grants, inference
      // usage, (V12) card purchases and their fees, (V13) crypto purchases, disputed funds and
      // expired credits
      assertThat(count(c, "ledger_accounts WHERE org_id IS NULL")).isEqualTo(7);
      c.commit();
    }
  }

  @Test
  void aTenantCannotChangeOrWriteAnotherTenantsRows() throws SQLException {
    try (Connection c = db.application().getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      enter(c, ACME);
      assertThat(
              s.executeUpdate(
                  "UPDATE organizations SET name = 'taken' WHERE id = '" + GLOBEX + "'"))
          .isZero();
      assertThat(s.executeUpdate("DELETE FROM workspaces WHERE org_id = '" + GLOBEX + "'"))
          .isZero();
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO workspaces VALUES ('"
                          + UUID.randomUUID()
                          + "', '"
                          + GLOBEX
                          + "', 'Planted', false, now())"))
          .hasMessageContaining("row-level security");
      c.rollback();
    }
    try (Connection c = db.owner().getConnection()) {
      assertThat(count(c, "organizations WHERE name = 'taken'")).isZero();
      assertThat(count(c, "workspaces WHERE org_id = '" + GLOBEX + "'")).isEqualTo(1);
    }
  }

  @Test
  void theScopeEndsWithItsTransaction() throws SQLException {
    try (Connection c = db.application().getConnection()) {
      c.setAutoCommit(false);
      enter(c, ACME);
      c.commit();
      assertThat(count(c, "organizations")).isZero();
      c.rollback();
    }
  }

  @Test
  void acrossTenantsTheApplicationSeesEveryOrganization() throws SQLException {
    try (Connection c = db.application().getConnection();
        PreparedStatement all =
            c.prepareStatement("SELECT set_config('switchboard.scope', 'all', true)")) {
      c.setAutoCommit(false);
      all.execute();
      assertThat(count(c, "organizations WHERE id IN ('" + ACME + "', '" + GLOBEX + "')"))
          .isEqualTo(2);
      c.commit();
    }
  }

  @Test
  void theApplicationCannotRewriteTheLedgerOrReadMigrationHistory() throws SQLException {
    try (Connection c = db.application().getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("UPDATE ledger_entries SET amount_nanos = 1"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("DELETE FROM ledger_transactions"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("SELECT * FROM flyway_schema_history"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("ALTER TABLE organizations DISABLE ROW LEVEL SECURITY"))
          .hasMessageContaining("must be owner");
    }
  }

  @Test
  void theApplicationsRoleIsHeldAndAnOwnerIsNamedAsBypassing() {
    assertThat(SchemaMigrator.rowSecurityBypassedBy(db.owner(), TestDatabases.APPLICATION_ROLE))
        .isEmpty();
    assertThat(SchemaMigrator.rowSecurityBypassedBy(db.owner(), "postgres"))
        .hasValueSatisfying(reason -> assertThat(reason).contains("superuser"));
  }

  private static void enter(Connection c, UUID org) throws SQLException {
    try (PreparedStatement set =
        c.prepareStatement("SELECT set_config('switchboard.org_id', ?, true)")) {
      set.setString(1, org.toString());
      set.execute();
    }
  }

  private static long count(Connection c, String tableAndCondition) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM " + tableAndCondition)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
