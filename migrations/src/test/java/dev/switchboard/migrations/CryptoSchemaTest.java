package dev.switchboard.migrations;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The USDC purchase records and transfers of V16 hold their rules in the database. */
class CryptoSchemaTest {

  private static final String ADDRESS = "0x" + "ab".repeat(20);
  private static DataSource db;
  private static UUID org;
  private static UUID user;

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
    }
  }

  @Test
  void theAmountDueIsTheCreditsAndTheFeeInWholeMicroUsdc() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () -> s.execute(purchase(UUID.randomUUID(), 1, "0x" + "01".repeat(20), 20_999_999)))
          .hasMessageContaining("crypto_purchases_check");
      assertThatThrownBy(() -> s.execute(purchase(UUID.randomUUID(), 2, "0xABC", 21_000_000)))
          .hasMessageContaining("deposit_address");
    }
  }

  @Test
  void aDepositAddressAndIndexBelongToOnePurchaseOnly() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(purchase(UUID.randomUUID(), 10, ADDRESS, 21_000_000));
      assertThatThrownBy(() -> s.execute(purchase(UUID.randomUUID(), 11, ADDRESS, 21_000_000)))
          .hasMessageContaining("crypto_purchases_deposit_address_key");
      assertThatThrownBy(
              () -> s.execute(purchase(UUID.randomUUID(), 10, "0x" + "cd".repeat(20), 21_000_000)))
          .hasMessageContaining("crypto_purchases_deposit_index_key");
    }
  }

  @Test
  void aTransferIsCreditedOnlyWithItsLedgerTransaction() throws SQLException {
    UUID purchase = UUID.randomUUID();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(purchase(purchase, 20, "0x" + "ef".repeat(20), 21_000_000));
      assertThatThrownBy(() -> s.execute(transfer(purchase, "credited")))
          .hasMessageContaining("crypto_transfers_check");
      assertThatCode(() -> s.execute(transfer(purchase, "pending"))).doesNotThrowAnyException();
      assertThatThrownBy(() -> s.execute(transfer(purchase, "pending")))
          .as("the same log in the same block once")
          .hasMessageContaining("crypto_transfers_tx_hash_log_index_block_hash_key");
    }
  }

  private static String purchase(UUID id, long index, String address, long dueMicros) {
    return "INSERT INTO crypto_purchases (id, org_id, created_by, credits_nanos, fee_nanos,"
        + " amount_due_micros, deposit_index, deposit_address, expires_at, created_at) VALUES ('"
        + id
        + "', '"
        + org
        + "', '"
        + user
        + "', 20000000000, 1000000000, "
        + dueMicros
        + ", "
        + index
        + ", '"
        + address
        + "', now() + interval '1 hour', now())";
  }

  private static String transfer(UUID purchase, String state) {
    return "INSERT INTO crypto_transfers (org_id, purchase_id, tx_hash, log_index, block_hash,"
        + " block_number, from_address, amount_micros, state, seen_at) VALUES ('"
        + org
        + "', '"
        + purchase
        + "', '0x"
        + "11".repeat(32)
        + "', 0, '0x"
        + "22".repeat(32)
        + "', 5, '0x"
        + "33".repeat(20)
        + "', 21000000, '"
        + state
        + "', now())";
  }
}
