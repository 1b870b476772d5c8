package dev.switchboard.payments.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.ledger.LedgerReconciler;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.ExtendedPublicKey;
import dev.switchboard.domain.payments.TrackedTransfer;
import dev.switchboard.domain.payments.UsdcChain;
import dev.switchboard.domain.payments.UsdcPurchase;
import dev.switchboard.domain.payments.UsdcPurchaseState;
import dev.switchboard.domain.payments.UsdcTerms;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;

/**
 * The watcher against a real chain: hardhat on loopback, a real ERC-20 with six decimals (a token
 * of its own per test, so tests do not see each other's transfers), blocks mined on demand and
 * reorganisations made by reverting to a snapshot. Three confirmations; small log queries so that
 * scans span several of them.
 */
class UsdcChainWatcherTest {

  private static final int CONFIRMATIONS = 3;
  private static final UsdcChainWatcher.Settings SETTINGS =
      new UsdcChainWatcher.Settings(CONFIRMATIONS, 16, 4);
  private static final String DEPOSIT_XPUB =
      "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ";

  private static HardhatChain chain;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final CryptoPurchases purchases =
      new CryptoPurchases(
          db.transactions,
          db.ledger,
          ExtendedPublicKey.parse(DEPOSIT_XPUB),
          UsdcTerms.STANDARD,
          clock,
          db.spendGate);
  private final User owner = people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  private final List<Web3j> clients = new ArrayList<>();
  private String token;
  private UsdcChainWatcher watcher;

  @BeforeAll
  static void startChain() throws IOException {
    chain = HardhatChain.start();
  }

  @AfterAll
  static void stopChain() throws InterruptedException {
    if (chain != null) {
      chain.close();
    }
  }

  @BeforeEach
  void deployToken() throws IOException {
    token = chain.deployToken();
    watcher = newWatcher();
  }

  @AfterEach
  void closeClientsAndCheckTheBooks() {
    clients.forEach(Web3j::shutdown);
    LedgerReconciler.Report books = new LedgerReconciler(db.transactions).check();
    assertThat(books.clean()).as("no drift: " + books).isTrue();
  }

  @Test
  void creditsTheExactAmountOnlyAfterTheConfirmations() throws IOException {
    UsdcPurchase purchase = buy("20.00");
    assertThat(purchase.quote().amountDueMicros()).isEqualTo(21_000_000L);
    watcher.poll();

    pay(purchase, 21_000_000); // one confirmation: its own block
    assertThat(watcher.poll().recorded()).isEqualTo(1);
    assertThat(state(purchase)).isEqualTo(UsdcPurchaseState.CONFIRMING);
    chain.mine(CONFIRMATIONS - 2);
    watcher.poll();
    assertThat(balance()).as("one confirmation short").isEqualTo(Credits.ZERO);

    chain.mine(1);
    assertThat(watcher.poll().credited()).isEqualTo(1);
    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(state(purchase)).isEqualTo(UsdcPurchaseState.CREDITED);
    assertThat(feeAccount()).isEqualTo(Credits.ofUsd("1.00").nanos());

    chain.mine(5);
    watcher.poll();
    watcher.poll();
    assertThat(balance()).as("credited once").isEqualTo(Credits.ofUsd("20.00"));
    assertLedgerBalances();
  }

  @Test
  void aTransferReorganisedAwayBeforeItsConfirmationsIsNeverCredited() throws IOException {
    UsdcPurchase purchase = buy("20.00");
    watcher.poll();
    String beforePayment = chain.snapshot();
    pay(purchase, 21_000_000);
    chain.mine(CONFIRMATIONS - 2);
    assertThat(watcher.poll().recorded()).isEqualTo(1);

    chain.revert(beforePayment);
    chain.mine(CONFIRMATIONS + 2); // a longer chain without the transfer
    assertThat(watcher.poll().dropped()).isEqualTo(1);
    chain.mine(CONFIRMATIONS);
    watcher.poll();

    assertThat(balance()).isEqualTo(Credits.ZERO);
    assertThat(db.count("crypto_transfers WHERE state = 'dropped'")).isEqualTo(1);
    assertThat(db.count("ledger_transactions WHERE kind IN ('purchase', 'reversal')")).isZero();
    assertThat(state(purchase)).isEqualTo(UsdcPurchaseState.AWAITING_PAYMENT);
  }

  @Test
  void aTransferReorganisedAwayAfterCreditingIsReversedAndFlagged() throws IOException {
    UsdcPurchase purchase = buy("20.00");
    watcher.poll();
    String beforePayment = chain.snapshot();
    pay(purchase, 21_000_000);
    chain.mine(CONFIRMATIONS - 1);
    assertThat(watcher.poll().credited()).isEqualTo(1);
    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));

    chain.revert(beforePayment);
    chain.mine(CONFIRMATIONS + 2);
    assertThat(watcher.poll().reversed()).isEqualTo(1);
    watcher.poll();

    assertThat(balance()).isEqualTo(Credits.ZERO);
    assertThat(feeAccount()).isZero();
    assertThat(db.count("ledger_transactions WHERE kind = 'reversal'")).isEqualTo(1);
    assertThat(purchases.reversedTransfers())
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo(TrackedTransfer.State.REVERSED));
    assertThat(find(purchase).reversedTransfers()).isEqualTo(1);
    assertLedgerBalances();
  }

  @Test
  void theSameTransferMinedAgainAfterAReorganisationIsCreditedOnce() throws IOException {
    UsdcPurchase purchase = buy("20.00");
    watcher.poll();
    String beforePayment = chain.snapshot();
    pay(purchase, 21_000_000);
    chain.mine(CONFIRMATIONS - 1);
    watcher.poll();

    chain.revert(beforePayment);
    chain.mine(1);
    pay(purchase, 21_000_000); // paid again into the new chain (as a node re-including it would)
    chain.mine(CONFIRMATIONS);
    UsdcChainWatcher.Round round = watcher.poll();

    assertThat(round.reversed()).isEqualTo(1);
    assertThat(round.credited()).isEqualTo(1);
    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertLedgerBalances();
  }

  @Test
  void underOverAndLatePaymentsCreditWhatArrivedLessTheFee() throws IOException {
    UsdcPurchase under = buy("20.00");
    UsdcPurchase over = buy("20.00");
    UsdcPurchase late = buy("20.00");
    UsdcPurchase twice = buy("10.00");
    watcher.poll();
    pay(under, 10_500_000);
    pay(over, 42_000_000);
    pay(twice, 5_250_000);
    pay(twice, 5_250_000);
    clock.advance(Duration.ofHours(2));
    assertThat(state(late)).isEqualTo(UsdcPurchaseState.EXPIRED);
    pay(late, 21_000_000);
    chain.mine(CONFIRMATIONS);
    watcher.poll();

    assertThat(find(under).credited()).isEqualTo(Credits.ofUsd("10.00"));
    assertThat(find(under).underpaid()).isTrue();
    assertThat(find(over).credited()).isEqualTo(Credits.ofUsd("40.00"));
    assertThat(find(twice).credited()).isEqualTo(Credits.ofUsd("10.00"));
    assertThat(find(late).credited()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(state(late)).isEqualTo(UsdcPurchaseState.CREDITED);
    assertThat(balance()).isEqualTo(Credits.ofUsd("80.00"));
    assertThat(feeAccount()).isEqualTo(Credits.ofUsd("4.00").nanos());
    assertLedgerBalances();
  }

  @Test
  void repeatedPollsConcurrentWatchersAndARestartCreditOnce() throws Exception {
    List<UsdcPurchase> bought = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bought.add(buy("5.00"));
    }
    watcher.poll();
    for (UsdcPurchase purchase : bought) {
      pay(purchase, purchase.quote().amountDueMicros());
    }
    UsdcChainWatcher other = newWatcher();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < CONFIRMATIONS + 2; round++) {
        List<Future<UsdcChainWatcher.Round>> polls = new ArrayList<>();
        for (UsdcChainWatcher each : List.of(watcher, other)) {
          polls.add(pool.submit((Callable<UsdcChainWatcher.Round>) each::poll));
        }
        for (Future<UsdcChainWatcher.Round> poll : polls) {
          poll.get();
        }
        chain.mine(1);
      }
    } finally {
      pool.shutdownNow();
    }
    UsdcChainWatcher restarted = newWatcher(); // nothing in memory: the cursor is in the database
    restarted.poll();
    restarted.poll();

    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(db.count("crypto_transfers")).isEqualTo(4);
    assertThat(db.count("ledger_transactions WHERE kind = 'purchase'")).isEqualTo(4);
    assertLedgerBalances();
  }

  @Test
  void transfersToOtherAddressesAndOfOtherTokensAreNotCredited() throws IOException {
    UsdcPurchase purchase = buy("20.00");
    watcher.poll();
    String otherToken = chain.deployToken();
    chain.transfer(otherToken, purchase.depositAddress(), 21_000_000);
    chain.transfer(token, "0x000000000000000000000000000000000000dead", 21_000_000);
    chain.mine(CONFIRMATIONS);
    watcher.poll();

    assertThat(db.count("crypto_transfers")).isZero();
    assertThat(balance()).isEqualTo(Credits.ZERO);
  }

  @Test
  void theScheduledWatcherCreditsOnItsOwn() throws IOException {
    UsdcPurchase purchase = buy("20.00");
    try (UsdcWatchSchedule schedule =
        new UsdcWatchSchedule(chain.url, token, purchases, SETTINGS, Duration.ofMillis(200))) {
      schedule.start();
      pay(purchase, 21_000_000);
      Awaitility.await("the transfer seen")
          .atMost(Duration.ofSeconds(30))
          .until(() -> state(purchase) == UsdcPurchaseState.CONFIRMING);
      chain.mine(CONFIRMATIONS - 1);
      Awaitility.await("the purchase credited")
          .atMost(Duration.ofSeconds(30))
          .until(() -> balance().equals(Credits.ofUsd("20.00")));
    }
    assertThat(state(purchase)).isEqualTo(UsdcPurchaseState.CREDITED);
    assertLedgerBalances();
  }

  private UsdcChainWatcher newWatcher() throws IOException {
    Web3j client = chain.newClient();
    clients.add(client);
    return new UsdcChainWatcher(
        client, new UsdcChain(UsdcChainWatcher.chainId(client), token), purchases, SETTINGS);
  }

  private UsdcPurchase buy(String usd) {
    return purchases.start(Actor.member(owner.id()), owner.personalOrgId(), Credits.ofUsd(usd));
  }

  private void pay(UsdcPurchase purchase, long micros) throws IOException {
    chain.transfer(token, purchase.depositAddress(), micros);
  }

  private UsdcPurchase find(UsdcPurchase purchase) {
    return purchases
        .find(Actor.member(owner.id()), owner.personalOrgId(), purchase.id())
        .orElseThrow();
  }

  private UsdcPurchaseState state(UsdcPurchase purchase) {
    return find(purchase).state();
  }

  private Credits balance() {
    return db.ledger.balance(owner.personalOrgId()).balance();
  }

  private long feeAccount() {
    return db.queryLong(
        "SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e JOIN ledger_accounts a"
            + " ON a.id = e.account_id WHERE a.org_id IS NULL AND a.kind = 'payment_fees'");
  }

  /** Every ledger transaction's legs sum to zero, and so do all of them together. */
  private void assertLedgerBalances() {
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries"
                    + " GROUP BY transaction_id HAVING sum(amount_nanos) <> 0) t"))
        .isZero();
    assertThat(db.queryLong("SELECT coalesce(sum(amount_nanos), 0) FROM ledger_entries")).isZero();
  }
}
