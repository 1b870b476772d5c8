package dev.switchboard.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger's invariants are enforced by the database itself, whatever the application does. */
class LedgerSchemaTest {

  private static DataSource db;
  private static UUID org;
  private static long orgAccount;
  private static long grantsAccount;

  @BeforeAll
  static void schema() throws SQLException {
    db = TestDatabases.newMigratedDatabase();
    org = UUID.randomUUID();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO organizations VALUES ('" + org + "', 'Acme', now())");
      orgAccount =
          queryLong(
              s,
              "INSERT INTO ledger_accounts (org_id, kind) VALUES ('"
                  + org
                  + "', 'org_credits') RETURNING id");
      grantsAccount = queryLong(s, "SELECT id FROM ledger_accounts WHERE kind = 'operator_grants'");
    }
  }

  @Test
  void balancedTransactionUpdatesTheOrganizationBalance() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      long before = balance(s);
      c.setAutoCommit(false);
      long tx = newTransaction(s, "grant-ok");
      s.execute(entry(tx, orgAccount, 5_000_000_000L));
      s.execute(entry(tx, grantsAccount, -5_000_000_000L));
      c.commit();
      assertThat(balance(s)).isEqualTo(before + 5_000_000_000L);
    }
  }

  @Test
  void theAccountKeepsWhatCameInAndWhatWentOutWithItsBalance() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      long in = total(s, "in");
      long out = total(s, "out");
      c.setAutoCommit(false);
      long grant = newTransaction(s, "grant-totals");
      s.execute(entry(grant, orgAccount, 3_000_000_000L));
      s.execute(entry(grant, grantsAccount, -3_000_000_000L));
      long spend = newTransaction(s, "spend-totals");
      s.execute(entry(spend, orgAccount, -1_250_000_000L));
      s.execute(entry(spend, grantsAccount, 1_250_000_000L));
      c.commit();
      assertThat(total(s, "in")).isEqualTo(in + 3_000_000_000L);
      assertThat(total(s, "out")).isEqualTo(out + 1_250_000_000L);
      assertThat(total(s, "in") - total(s, "out")).isEqualTo(balance(s));
    }
  }

  @Test
  void unbalancedTransactionIsRefusedAtCommit() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      long before = balance(s);
      c.setAutoCommit(false);
      long tx = newTransaction(s, "grant-unbalanced");
      s.execute(entry(tx, orgAccount, 1_000L));
      assertThatThrownBy(c::commit).hasMessageContaining("does not balance");
      c.rollback();
      assertThat(balance(s)).isEqualTo(before);
    }
  }

  @Test
  void entriesCannotBeUpdatedOrDeleted() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      long tx = newTransaction(s, "grant-immutable");
      s.execute(entry(tx, orgAccount, 7L));
      s.execute(entry(tx, grantsAccount, -7L));
      c.commit();
      c.setAutoCommit(true);
      assertThatThrownBy(
              () ->
                  s.execute(
                      "UPDATE ledger_entries SET amount_nanos = 8 WHERE transaction_id = " + tx))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.execute("DELETE FROM ledger_entries WHERE transaction_id = " + tx))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.execute("DELETE FROM ledger_transactions WHERE id = " + tx))
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void idempotencyKeyIsUnique() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      newTransaction(s, "grant-once");
      assertThatThrownBy(() -> newTransaction(s, "grant-once"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("idempotency_key");
    }
  }

  private static long newTransaction(Statement s, String key) throws SQLException {
    return queryLong(
        s,
        "INSERT INTO ledger_transactions (org_id, kind, idempotency_key, created_at) VALUES ('"
            + org
            + "', 'grant', '"
            + key
            + "', now()) RETURNING id");
  }

  private static String entry(long tx, long account, long amount) {
    return "INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos) VALUES ("
        + tx
        + ", '"
        + org
        + "', "
        + account
        + ", "
        + amount
        + ")";
  }

  private static long balance(Statement s) throws SQLException {
    return queryLong(s, "SELECT balance_nanos FROM ledger_accounts WHERE id = " + orgAccount);
  }

  private static long total(Statement s, String direction) throws SQLException {
    return queryLong(
        s, "SELECT total_" + direction + "_nanos FROM ledger_accounts WHERE id = " + orgAccount);
  }

  private static long queryLong(Statement s, String sql) throws SQLException {
    try (ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
