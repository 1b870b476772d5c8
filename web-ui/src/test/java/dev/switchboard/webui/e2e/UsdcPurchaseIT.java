package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.accounts.User;
import dev.switchboard.payments.crypto.HardhatChain;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Buying credits with USDC against the built jar, whose watcher reads a real local chain (hardhat,
 * with a six-decimal ERC-20 deployed for the test): an owner sees the exact amount, is shown the
 * deposit address with its QR code and expiry, and sees the credit arrive only after the
 * confirmations; a payment a reorganisation removes after crediting is taken back and shown to the
 * operator.
 */
class UsdcPurchaseIT {

  private static final String XPUB =
      "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ";

  private static final String OPERATOR = "operator-" + UUID.randomUUID() + "@example.com";

  private static HardhatChain chain;
  private static String token;
  private static RunningSwitchboard switchboard;

  @BeforeAll
  static void start() throws Exception {
    chain = HardhatChain.start();
    token = chain.deployToken();
    switchboard =
        RunningSwitchboard.start(
            Map.of(
                "SWITCHBOARD_CRYPTO_RPC_URL",
                chain.url(),
                "SWITCHBOARD_CRYPTO_TOKEN_ADDRESS",
                token,
                "SWITCHBOARD_CRYPTO_XPUB",
                XPUB,
                "SWITCHBOARD_CRYPTO_CONFIRMATIONS",
                "3",
                "SWITCHBOARD_CRYPTO_POLL_MILLIS",
                "300",
                "SWITCHBOARD_ADMIN_EMAIL",
                OPERATOR));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (switchboard != null) {
      switchboard.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void anOwnerPaysTwentyOneUsdcAndIsCreditedAfterTheConfirmations() throws Exception {
    User owner = new People(switchboard).verified("usdc-" + UUID.randomUUID() + "@example.com");
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, owner.email(), People.PASSWORD);
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.type("usdc-amount-input", "20");
      assertThat(chromium.waitForText("usdc-quote", text -> text.contains("21.000000")))
          .isEqualTo("Fee $1.00 · you send 21.000000 USDC for $20.00");
      chromium.visible("usdc-submit").click();

      chromium.wait.until(d -> d.getCurrentUrl().contains("/credits/usdc/"));
      String address = chromium.waitForText("usdc-address", text -> text.startsWith("0x"));
      assertThat(address).matches("0x[0-9a-fA-F]{40}");
      assertThat(chromium.visible("usdc-amount").getText()).isEqualTo("21.000000");
      assertThat(chromium.visible("usdc-expiry").getText()).endsWith("UTC");
      assertThat(chromium.visible("usdc-qr").findElement(By.tagName("img")).getAttribute("src"))
          .startsWith("data:image/svg+xml;base64,");
      assertThat(chromium.waitForText("usdc-status", text -> !text.isBlank()))
          .startsWith("Waiting for the transfer");
      chromium.screenshot("usdc-awaiting.png");

      chain.transfer(token, address, 21_000_000);
      assertThat(chromium.waitForText("usdc-status", text -> text.contains("seen on the chain")))
          .startsWith("21.000000 USDC seen on the chain");
      assertThat(balanceNanos(owner)).as("before the confirmations").isZero();

      chain.mine(2);
      assertThat(chromium.waitForText("usdc-status", text -> text.contains("arrived")))
          .isEqualTo("$20.00 of credits arrived. Thank you!");
      chromium.screenshot("usdc-credited.png");
      assertThat(balanceNanos(owner)).isEqualTo(20_000_000_000L);

      chromium.driver.get(switchboard.uri("/credits").toString());
      assertThat(chromium.waitForText("credits-balance", text -> !text.isBlank()))
          .isEqualTo("$20.00");
    }
  }

  @Test
  void aPaymentReorganisedAwayAfterCreditingIsTakenBackAndShownToTheOperator() throws Exception {
    User owner = new People(switchboard).verified("reorg-" + UUID.randomUUID() + "@example.com");
    User operator = new People(switchboard).verified(OPERATOR);
    String transaction;
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, owner.email(), People.PASSWORD);
      chromium.driver.get(switchboard.uri("/credits").toString());
      chromium.type("usdc-amount-input", "10");
      chromium.waitForText("usdc-quote", text -> text.contains("10.500000"));
      chromium.visible("usdc-submit").click();
      String address = chromium.waitForText("usdc-address", text -> text.startsWith("0x"));

      String beforePayment = chain.snapshot();
      transaction = chain.transfer(token, address, 10_500_000).getTransactionHash();
      chain.mine(2);
      chromium.waitForText("usdc-status", text -> text.contains("arrived"));
      assertThat(balanceNanos(owner)).isEqualTo(10_000_000_000L);

      chain.revert(beforePayment);
      chain.mine(6);
      Awaitility.await("the credit taken back")
          .atMost(Duration.ofSeconds(60))
          .until(() -> balanceNanos(owner) == 0);
      chromium.driver.navigate().refresh();
      assertThat(chromium.waitForText("usdc-status", text -> text.contains("reorganisation")))
          .contains("1 transfer was undone by a chain reorganisation");
    }
    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.signIn(switchboard, operator.email(), People.PASSWORD);
      chromium.driver.get(switchboard.uri("/operator").toString());
      chromium.waitForCells(
          "operator-usdc-reversed",
          cells -> cells.stream().anyMatch(cell -> cell.startsWith(transaction)));
      chromium.screenshot("usdc-reversed-operator.png");
    }
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM ledger_transactions WHERE kind = 'reversal' AND org_id ="
                    + " ?::uuid",
                owner.personalOrgId().value().toString()))
        .isEqualTo(1);
  }

  @Test
  void aManagementKeyActsAsAdminAndCannotBuy() {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    Map<String, Long> before = switchboard.tableRowCounts();

    assertError(
        switchboard.post(
            "/api/v1/credits/usdc-purchases",
            tenant.managementKey(),
            "{\"amount\":\"20.00\"}",
            Map.of()),
        403,
        "a management key buying");
    assertError(
        switchboard.get(
            "/api/v1/credits/usdc-purchases/" + UUID.randomUUID(), tenant.managementKey()),
        404,
        "an unknown purchase");

    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
  }

  private static long balanceNanos(User user) {
    return switchboard.queryLong(
        "SELECT balance_nanos FROM ledger_accounts WHERE org_id = ?::uuid AND kind = 'org_credits'",
        user.personalOrgId().value().toString());
  }
}
