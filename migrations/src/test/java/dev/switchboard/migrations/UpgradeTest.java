package dev.switchboard.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Migrations applied to a database that already holds data, as an upgrade meets it. */
class UpgradeTest {

  @Test
  void accountTotalsAreFilledInFromTheEntriesAlreadyWritten() throws SQLException {
    DataSource db = TestDatabases.newEmptyDatabase();
    Flyway.configure().dataSource(db).target("3").load().migrate();
    UUID org = UUID.randomUUID();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO organizations VALUES ('" + org + "', 'Acme', now())");
      long account = creditsAccount(s, org);
      long grants = queryLong(s, "SELECT id FROM ledger_accounts WHERE kind = 'operator_grants'");
      c.setAutoCommit(false);
      long grant = transaction(s, org, "grant-before-v4");
      s.execute(entry(grant, account, 7_000_000_000L) + ", " + row(grant, grants, -7_000_000_000L));
      long spend = transaction(s, org, "spend-before-v4");
      s.execute(entry(spend, account, -2_500_000_000L) + ", " + row(spend, grants, 2_500_000_000L));
      c.commit();
      c.setAutoCommit(true);

      SchemaMigrator.migrate(db);

      assertThat(queryLong(s, "SELECT total_in_nanos FROM ledger_accounts WHERE id = " + account))
          .isEqualTo(7_000_000_000L);
      assertThat(queryLong(s, "SELECT total_out_nanos FROM ledger_accounts WHERE id = " + account))
          .isEqualTo(2_500_000_000L);
    }
  }

  @Test
  void entriesAndKeyHoldsWrittenBeforeRowLevelSecurityGetTheirOrganization() throws SQLException {
    DataSource db = TestDatabases.newEmptyDatabase();
    Flyway.configure().dataSource(db).target("9").load().migrate();
    UUID org = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO organizations (id, name, created_at) VALUES ('" + org + "', 'A', now())");
      UUID workspace = UUID.randomUUID();
      s.execute(
          "INSERT INTO workspaces VALUES ('"
              + workspace
              + "', '"
              + org
              + "', 'Default', true, now())");
      s.execute(
          "INSERT INTO api_keys (id, org_id, workspace_id, hash, name, label, created_at,"
              + " updated_at) VALUES ('"
              + key
              + "', '"
              + org
              + "', '"
              + workspace
              + "', repeat('a', 64), 'k', 'sk-…aaa', now(), now())");
      long account = creditsAccount(s, org);
      long grants = queryLong(s, "SELECT id FROM ledger_accounts WHERE kind = 'operator_grants'");
      c.setAutoCommit(false);
      long grant = transaction(s, org, "grant-before-v10");
      s.execute(entry(grant, account, 3L) + ", " + row(grant, grants, -3L));
      c.commit();
      c.setAutoCommit(true);

      SchemaMigrator.migrate(db);

      assertThat(
              queryLong(
                  s,
                  "SELECT count(*) FROM ledger_entries WHERE transaction_id = "
                      + grant
                      + " AND org_id = '"
                      + org
                      + "'"))
          .isEqualTo(2);
      assertThat(
              queryLong(
                  s,
                  "SELECT count(*) FROM key_holds WHERE api_key_id = '"
                      + key
                      + "' AND org_id = '"
                      + org
                      + "'"))
          .isEqualTo(1);
    }
  }

  private static long creditsAccount(Statement s, UUID org) throws SQLException {
    return queryLong(
        s,
        "INSERT INTO ledger_accounts (org_id, kind) VALUES ('"
            + org
            + "', 'org_credits') RETURNING id");
  }

  private static long transaction(Statement s, UUID org, String key) throws SQLException {
    return queryLong(
        s,
        "INSERT INTO ledger_transactions (org_id, kind, idempotency_key, created_at) VALUES ('"
            + org
            + "', 'grant', '"
            + key
            + "', now()) RETURNING id");
  }

  private static String entry(long tx, long account, long nanos) {
    return "INSERT INTO ledger_entries (transaction_id, account_id, amount_nanos) VALUES "
        + row(tx, account, nanos);
  }

  private static String row(long tx, long account, long nanos) {
    return "(" + tx + ", " + account + ", " + nanos + ")";
  }

  private static long queryLong(Statement s, String sql) throws SQLException {
    try (ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
