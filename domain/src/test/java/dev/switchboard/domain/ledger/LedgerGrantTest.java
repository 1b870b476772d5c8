package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LedgerGrantTest {

  private final DomainFixture db = new DomainFixture();

  @Test
  void concurrentDuplicatesOfAGrantMoveMoneyOnce() throws Exception {
    OrganizationId org = db.orgWithCredits("0").organization().id();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<GrantReceipt>> receipts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      receipts.add(
          pool.submit(
              () -> {
                start.await();
                return db.ledger.grant(
                    org, Credits.ofUsd("10.00"), "top-up-1", "digest-a", "grant");
              }));
    }
    start.countDown();
    List<GrantReceipt> results = new ArrayList<>();
    for (Future<GrantReceipt> receipt : receipts) {
      results.add(receipt.get());
    }
    pool.shutdown();

    assertThat(results)
        .extracting(GrantReceipt::transactionId)
        .containsOnly(results.get(0).transactionId());
    assertThat(results).filteredOn(r -> !r.replayed()).hasSize(1);
    assertThat(db.ledger.balance(org).balance()).isEqualTo(Credits.ofUsd("10.00"));
    assertThat(db.ledger.balance(org).totalCredits()).isEqualTo(Credits.ofUsd("10.00"));
  }

  @Test
  void reusingAKeyForADifferentRequestIsRefusedAndMovesNothing() {
    OrganizationId org = db.orgWithCredits("0").organization().id();
    db.ledger.grant(org, Credits.ofUsd("5.00"), "k", "digest-a", "grant");
    assertThatThrownBy(() -> db.ledger.grant(org, Credits.ofUsd("6.00"), "k", "digest-b", "grant"))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(db.ledger.balance(org).balance()).isEqualTo(Credits.ofUsd("5.00"));
  }

  @Test
  void theSameKeyInAnotherOrganizationIsIndependent() {
    OrganizationId a = db.orgWithCredits("0").organization().id();
    OrganizationId b = db.orgWithCredits("0").organization().id();
    db.ledger.grant(a, Credits.ofUsd("1.00"), "same", "d", "grant");
    GrantReceipt second = db.ledger.grant(b, Credits.ofUsd("2.00"), "same", "d", "grant");
    assertThat(second.replayed()).isFalse();
    assertThat(db.ledger.balance(b).balance()).isEqualTo(Credits.ofUsd("2.00"));
  }
}
