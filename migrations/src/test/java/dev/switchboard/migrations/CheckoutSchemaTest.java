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

/** The checkout records and the purchase accounts of V11 hold their rules in the database. */
class CheckoutSchemaTest {

  private static DataSource db;
  private static UUID org;
  private static UUID user;
  private static long orgAccount;

  @BeforeAll
  static void schema() throws SQLException {
    db = TestDatabases.newMigratedDatabase();
    org = UUID.randomUUID();
    user = UUID.randomUUID();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO organizations (id, name, created_at) VALUES ('" + org + "', 'A', now())");
      s.execute(
          "INSERT INTO users (id, email, display_name, personal_org_id, created_at, updated_at)"
              + " VALUES ('"
              + user
              + "', 'a@example.com', 'A', '"
              + org
              + "', now(), now())");
      orgAccount =
          queryLong(
              s,
              "INSERT INTO ledger_accounts (org_id, kind) VALUES ('"
                  + org
                  + "', 'org_credits') RETURNING id");
    }
  }

  @Test
  void aPurchaseOfThreeLegsCreditsTheOrganizationWithoutTheFee() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      long purchases =
          queryLong(
              s,
              "SELECT id FROM ledger_accounts WHERE org_id IS NULL AND kind = 'stripe_purchases'");
      long fees =
          queryLong(
              s, "SELECT id FROM ledger_accounts WHERE org_id IS NULL AND kind = 'payment_fees'");
      c.setAutoCommit(false);
      long tx =
          queryLong(
              s,
              "INSERT INTO ledger_transactions (org_id, kind, idempotency_key, created_at) VALUES ('"
                  + org
                  + "', 'purchase', 'stripe-checkout:one', now()) RETURNING id");
      s.execute(
          "INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos) VALUES ("
              + tx
              + ", '"
              + org
              + "', "
              + purchases
              + ", -21100000000), ("
              + tx
              + ", '"
              + org
              + "', "
              + orgAccount
              + ", 20000000000), ("
              + tx
              + ", '"
              + org
              + "', "
              + fees
              + ", 1100000000)");
      c.commit();
      assertThat(queryLong(s, "SELECT balance_nanos FROM ledger_accounts WHERE id = " + orgAccount))
          .isEqualTo(20_000_000_000L);
    }
  }

  @Test
  void aCheckoutsTotalIsItsCreditsAndFeeInWholeCents() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () -> s.execute(checkout("k-sum", 20_000_000_000L, 1_100_000_000L, 21_000_000_000L)))
          .hasMessageContaining("stripe_checkouts");
      assertThatThrownBy(
              () ->
                  s.execute(checkout("k-cents", 20_000_000_000L, 1_100_000_001L, 21_100_000_001L)))
          .hasMessageContaining("stripe_checkouts");
      s.execute(checkout("k-ok", 20_000_000_000L, 1_100_000_000L, 21_100_000_000L));
      assertThatThrownBy(
              () -> s.execute(checkout("k-ok", 20_000_000_000L, 1_100_000_000L, 21_100_000_000L)))
          .hasMessageContaining("idempotency_key");
    }
  }

  @Test
  void aStripeEventIsRecordedOnce() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      String event =
          "INSERT INTO stripe_webhook_events (event_id, type, outcome, received_at)"
              + " VALUES ('evt_1', 'checkout.session.completed', 'unknown_session', now())";
      s.execute(event);
      assertThatThrownBy(() -> s.execute(event)).hasMessageContaining("stripe_webhook_events_pkey");
    }
  }

  private static String checkout(String key, long credits, long fee, long total) {
    return "INSERT INTO stripe_checkouts (id, org_id, created_by, credits_nanos, fee_nanos,"
        + " total_nanos, currency, idempotency_key, state, created_at) VALUES ('"
        + UUID.randomUUID()
        + "', '"
        + org
        + "', '"
        + user
        + "', "
        + credits
        + ", "
        + fee
        + ", "
        + total
        + ", 'usd', '"
        + key
        + "', 'created', now())";
  }

  private static long queryLong(Statement s, String sql) throws SQLException {
    try (ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
