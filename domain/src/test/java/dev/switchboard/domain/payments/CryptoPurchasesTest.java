package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountsFixture;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.User;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The record of a USDC purchase and what happens to the transfers the chain watcher reports (the
 * chain itself is in the payments module's tests).
 */
class CryptoPurchasesTest {

  static final String DEPOSIT_XPUB =
      "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ";
  private static final UsdcChain CHAIN =
      new UsdcChain(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final AccountsFixture people = new AccountsFixture(db, clock);
  private final ExtendedPublicKey depositKey = ExtendedPublicKey.parse(DEPOSIT_XPUB);
  private final List<OrganizationId> retiredLeases = new CopyOnWriteArrayList<>();
  private final CryptoPurchases purchases =
      new CryptoPurchases(
          db.transactions,
          db.ledger,
          depositKey,
          UsdcTerms.STANDARD,
          clock,
          org -> {
            retiredLeases.add(org);
            db.spendGate.retireLeases(org);
          });
  private final User owner = people.verifiedUser("owner-" + UUID.randomUUID() + "@example.com");
  private final OrganizationId org = owner.personalOrgId();
  private long block = 10;

  @Test
  void aPurchaseRecordsTheAmountDueAndADepositAddressOfItsOwn() {
    UsdcPurchase first = start(owner, "20.00");
    UsdcPurchase second = start(owner, "20.00");

    assertThat(first.quote().amountDueMicros()).isEqualTo(21_000_000L);
    assertThat(first.quote().credits()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(first.depositAddress())
        .isEqualTo(depositKey.child(first.depositIndex()).ethereumAddress());
    assertThat(second.depositIndex()).isNotEqualTo(first.depositIndex());
    assertThat(second.depositAddress()).isNotEqualTo(first.depositAddress());
    assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(first.state()).isEqualTo(UsdcPurchaseState.AWAITING_PAYMENT);
    assertThat(first.createdBy()).isEqualTo(owner.id());
    assertThat(purchases.watchedAddresses())
        .contains(first.depositAddress(), second.depositAddress());
  }

  @Test
  void onlyOwnersAndBillingMembersMayBuyAndStrangersAreNotTold() {
    User billing = people.memberOf(org, Role.BILLING);
    User admin = people.memberOf(org, Role.ADMIN);
    User member = people.memberOf(org, Role.MEMBER);
    User stranger = people.verifiedUser("stranger-" + UUID.randomUUID() + "@example.com");

    assertThat(start(billing, "5.00").state()).isEqualTo(UsdcPurchaseState.AWAITING_PAYMENT);
    for (User refused : List.of(admin, member)) {
      assertThat(purchases.mayBuy(Actor.member(refused.id()), org)).isFalse();
      assertThatThrownBy(() -> start(refused, "5.00"))
          .isInstanceOfSatisfying(
              AccountRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.FORBIDDEN));
    }
    assertThatThrownBy(() -> start(stranger, "5.00"))
        .isInstanceOfSatisfying(
            AccountRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccountRefusedException.Reason.NOT_FOUND));
    assertThatThrownBy(
            () -> purchases.start(Actor.managementKey(org, "x"), org, Credits.ofUsd("5.00")))
        .isInstanceOf(AccountRefusedException.class);
    assertThat(db.count("crypto_purchases")).as("only the billing member's").isEqualTo(1);
  }

  @Test
  void anAmountOutsideTheTermsIsRefusedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> start(owner, "4.99")).isInstanceOf(AccountRefusedException.class);
    assertThatThrownBy(() -> start(owner, "20.001")).isInstanceOf(AccountRefusedException.class);
    assertThat(db.count("crypto_purchases")).isZero();
  }

  @Test
  void anotherOrganizationsPurchaseIsNotFound() {
    UsdcPurchase mine = start(owner, "20.00");
    User other = people.verifiedUser("other-" + UUID.randomUUID() + "@example.com");

    assertThat(purchases.find(Actor.member(other.id()), other.personalOrgId(), mine.id()))
        .isEmpty();
    assertThat(purchases.find(Actor.member(other.id()), org, mine.id())).isEmpty();
    assertThat(purchases.find(Actor.member(owner.id()), org, mine.id())).isPresent();
  }

  @Test
  void aConfirmedTransferIsCreditedOnceHoweverOftenItIsReported() {
    UsdcPurchase purchase = start(owner, "20.00");
    ObservedTransfer paid = transferTo(purchase, 21_000_000);

    assertThat(purchases.recordScan(CHAIN, List.of(paid), head())).isEqualTo(1);
    assertThat(purchases.recordScan(CHAIN, List.of(paid, paid), head())).isZero();
    assertThat(find(purchase).state()).isEqualTo(UsdcPurchaseState.CONFIRMING);
    assertThat(balance()).isEqualTo(Credits.ZERO);

    long id = onlyTransfer().id();
    assertThat(purchases.credit(id)).isTrue();
    assertThat(purchases.credit(id)).isFalse();
    assertThat(purchases.drop(id)).as("a credited transfer is not dropped").isFalse();

    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(systemAccount("payment_fees")).isEqualTo(1_000_000_000L);
    assertThat(systemAccount("crypto_purchases")).isEqualTo(-21_000_000_000L);
    UsdcPurchase credited = find(purchase);
    assertThat(credited.state()).isEqualTo(UsdcPurchaseState.CREDITED);
    assertThat(credited.credited()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(credited.underpaid()).isFalse();
    assertThat(unbalancedLedgerTransactions()).isZero();
  }

  @Test
  void aDroppedTransferIsNeverCredited() {
    UsdcPurchase purchase = start(owner, "20.00");
    purchases.recordScan(CHAIN, List.of(transferTo(purchase, 21_000_000)), head());
    long id = onlyTransfer().id();

    assertThat(purchases.drop(id)).isTrue();
    assertThat(purchases.credit(id)).isFalse();
    assertThat(balance()).isEqualTo(Credits.ZERO);
    assertThat(purchases.unsettled(0)).isEmpty();
  }

  @Test
  void aDroppedTransferWhoseBlockComesBackIsPendingAgainAndCreditedOnce() {
    UsdcPurchase purchase = start(owner, "20.00");
    ObservedTransfer paid = transferTo(purchase, 21_000_000);
    purchases.recordScan(CHAIN, List.of(paid), head());
    long id = onlyTransfer().id();
    purchases.drop(id);

    assertThat(purchases.recordScan(CHAIN, List.of(paid), head())).isEqualTo(1);
    assertThat(onlyTransfer().state()).isEqualTo(TrackedTransfer.State.PENDING);
    assertThat(purchases.credit(id)).isTrue();
    assertThat(purchases.recordScan(CHAIN, List.of(paid), head())).isZero();
    assertThat(purchases.unsettled(0))
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo(TrackedTransfer.State.CREDITED));
    assertThat(balance()).isEqualTo(Credits.ofUsd("20.00"));
  }

  @Test
  void aReversedTransferTakesItsCreditsBackAndIsFlagged() {
    UsdcPurchase purchase = start(owner, "20.00");
    purchases.recordScan(CHAIN, List.of(transferTo(purchase, 21_000_000)), head());
    long id = onlyTransfer().id();
    purchases.credit(id);

    assertThat(purchases.reverse(id)).isTrue();
    assertThat(retiredLeases).containsExactly(org);
    assertThat(purchases.reverse(id)).isFalse();
    assertThat(retiredLeases).hasSize(1);

    assertThat(balance()).isEqualTo(Credits.ZERO);
    assertThat(systemAccount("payment_fees")).isZero();
    assertThat(systemAccount("crypto_purchases")).isZero();
    assertThat(db.count("ledger_transactions WHERE kind = 'reversal'")).isEqualTo(1);
    assertThat(purchases.reversedTransfers()).extracting(TrackedTransfer::id).containsExactly(id);
    assertThat(find(purchase).reversedTransfers()).isEqualTo(1);
    assertThat(unbalancedLedgerTransactions()).isZero();
  }

  @Test
  void underOverAndLatePaymentsCreditWhatArrivedLessTheFee() {
    UsdcPurchase under = start(owner, "20.00");
    UsdcPurchase over = start(owner, "20.00");
    UsdcPurchase late = start(owner, "20.00");
    clock.advance(Duration.ofHours(2));
    assertThat(find(late).state()).isEqualTo(UsdcPurchaseState.EXPIRED);
    assertThat(purchases.watchedAddresses())
        .as("late payments are still watched for")
        .contains(late.depositAddress());

    purchases.recordScan(
        CHAIN,
        List.of(
            transferTo(under, 10_500_000),
            transferTo(over, 42_000_000),
            transferTo(late, 21_000_000)),
        head());
    for (TrackedTransfer transfer : purchases.unsettled(0)) {
      assertThat(purchases.credit(transfer.id())).isTrue();
    }

    assertThat(find(under).credited()).isEqualTo(Credits.ofUsd("10.00"));
    assertThat(find(under).underpaid()).isTrue();
    assertThat(find(over).credited()).isEqualTo(Credits.ofUsd("40.00"));
    assertThat(find(late).credited()).isEqualTo(Credits.ofUsd("20.00"));
    assertThat(find(late).state()).isEqualTo(UsdcPurchaseState.CREDITED);
    assertThat(balance()).isEqualTo(Credits.ofUsd("70.00"));
    assertThat(systemAccount("payment_fees")).isEqualTo(3_500_000_000L);

    clock.advance(UsdcTerms.STANDARD.latePaymentWindow());
    assertThat(purchases.watchedAddresses()).doesNotContain(late.depositAddress());
  }

  @Test
  void aTransferToAnAddressOfNoPurchaseIsIgnored() {
    start(owner, "20.00");
    ObservedTransfer stray =
        new ObservedTransfer(
            hash(), 0, new ChainBlock(block, hash()), address(), address(), 1_000_000);
    assertThat(purchases.recordScan(CHAIN, List.of(stray), head())).isZero();
    assertThat(purchases.cursor(CHAIN)).contains(head());
  }

  private UsdcPurchase start(User buyer, String usd) {
    return purchases.start(Actor.member(buyer.id()), org, Credits.ofUsd(usd));
  }

  private UsdcPurchase find(UsdcPurchase purchase) {
    return purchases.find(Actor.member(owner.id()), org, purchase.id()).orElseThrow();
  }

  private TrackedTransfer onlyTransfer() {
    List<TrackedTransfer> unsettled = purchases.unsettled(0);
    assertThat(unsettled).hasSize(1);
    return unsettled.get(0);
  }

  private ObservedTransfer transferTo(UsdcPurchase purchase, long micros) {
    block++;
    return new ObservedTransfer(
        hash(), 1, new ChainBlock(block, hash()), address(), purchase.depositAddress(), micros);
  }

  private ChainBlock head() {
    return new ChainBlock(100, "0x" + "ab".repeat(32));
  }

  private Credits balance() {
    return db.ledger.balance(org).balance();
  }

  private long systemAccount(String kind) {
    return db.queryLong(
        "SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e"
            + " JOIN ledger_accounts a ON a.id = e.account_id WHERE a.org_id IS NULL"
            + " AND a.kind = '"
            + kind
            + "'");
  }

  private long unbalancedLedgerTransactions() {
    return db.queryLong(
        "SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries"
            + " GROUP BY transaction_id HAVING sum(amount_nanos) <> 0) t");
  }

  private static String hash() {
    return "0x" + HexFormat.of().formatHex(random(32));
  }

  private static String address() {
    return "0x" + HexFormat.of().formatHex(random(20));
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
