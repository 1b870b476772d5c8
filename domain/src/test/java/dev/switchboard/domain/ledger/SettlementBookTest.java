package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import dev.switchboard.domain.usage.Generation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SettlementBookTest {

  private static final DomainFixture db = new DomainFixture();

  @Test
  void debitsTheExactCostAndReleasesTheRestOfTheReservation() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd("0.10"));
    Generation generation = generation(key, Credits.ofNanos(12_345_678));

    db.spendGate.settle(reservation, generation);
    db.returnLeases(db.spendGate);

    OrganizationId id = org.organization().id();
    AccountBalance balance = db.ledger.balance(id);
    assertThat(balance.balance())
        .isEqualTo(Credits.ofUsd("1.00").minus(Credits.ofNanos(12_345_678)));
    assertThat(balance.reserved()).isEqualTo(Credits.ZERO);
    assertThat(balance.totalUsage()).isEqualTo(Credits.ofNanos(12_345_678));
    assertThat(db.generations.findForOrg(id, generation.id()))
        .hasValueSatisfying(g -> assertThat(g.cost()).isEqualTo(generation.cost()));
    assertThat(db.keys.findForOrg(id, key.hash()))
        .hasValueSatisfying(k -> assertThat(k.usage()).isEqualTo(Credits.ofNanos(12_345_678)));
    assertThat(db.queryLong("SELECT coalesce(sum(amount_nanos), 0) FROM ledger_entries")).isZero();
  }

  @Test
  void aSettlementWrittenTwiceCountsOnce() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd("0.10"));
    Settlement settlement =
        new Settlement(
            reservation.leaseId(),
            key.orgId(),
            key.id(),
            generation(key, Credits.ofUsd("0.03")),
            Credits.ofUsd("0.03"),
            false);
    long leased = leaseAmount(reservation);

    db.settlements.settle(List.of(settlement));
    db.settlements.settle(List.of(settlement));

    AccountBalance balance = db.ledger.balance(org.organization().id());
    assertThat(balance.balance()).isEqualTo(Credits.ofUsd("0.97"));
    // the debit and the lease's shrink happened once, together
    assertThat(leaseAmount(reservation)).isEqualTo(leased - Credits.ofUsd("0.03").nanos());
    assertThat(balance.reserved()).isEqualTo(Credits.ofNanos(leaseAmount(reservation)));
    assertThat(db.keys.findForOrg(org.organization().id(), key.hash()).orElseThrow().usage())
        .isEqualTo(Credits.ofUsd("0.03"));
  }

  @Test
  void manyConcurrentRequestsSettleThroughTheQueueToTheNanoDollar() throws Exception {
    Founded first = db.orgWithCredits("5.00");
    Founded second = db.orgWithCredits("5.00");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Credits>> costs = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        ApiKey key = (i % 2 == 0 ? first : second).managementKey().key();
        long nanos = 10_003L * (i + 1);
        costs.add(
            pool.submit(
                () -> {
                  start.await();
                  Reservation r = db.spendGate.reserve(key, Credits.ofUsd("0.04"));
                  db.spendGate.settle(r, generation(key, Credits.ofNanos(nanos)));
                  return Credits.ofNanos(nanos);
                }));
      }
      start.countDown();
      Credits firstSpent = Credits.ZERO;
      Credits secondSpent = Credits.ZERO;
      for (int i = 0; i < costs.size(); i++) {
        Credits cost = costs.get(i).get();
        if (i % 2 == 0) {
          firstSpent = firstSpent.plus(cost);
        } else {
          secondSpent = secondSpent.plus(cost);
        }
      }
      db.returnLeases(db.spendGate);

      assertThat(db.ledger.balance(first.organization().id()).balance())
          .isEqualTo(Credits.ofUsd("5.00").minus(firstSpent));
      assertThat(db.ledger.balance(second.organization().id()).balance())
          .isEqualTo(Credits.ofUsd("5.00").minus(secondSpent));
      assertThat(db.ledger.balance(first.organization().id()).reserved()).isEqualTo(Credits.ZERO);
      assertThat(db.ledger.balance(second.organization().id()).reserved()).isEqualTo(Credits.ZERO);
      assertThat(
              db.queryLong(
                  "SELECT count(*) FROM generations WHERE org_id IN ('"
                      + first.organization().id()
                      + "', '"
                      + second.organization().id()
                      + "')"))
          .isEqualTo(200);
      assertThat(
              db.queryLong(
                  "SELECT count(*) FROM reservations WHERE org_id IN ('"
                      + first.organization().id()
                      + "', '"
                      + second.organization().id()
                      + "')"))
          .isZero();
    } finally {
      pool.shutdown();
    }
  }

  private static long leaseAmount(Reservation reservation) {
    return db.queryLong(
        "SELECT amount_nanos FROM reservations WHERE id = '" + reservation.leaseId() + "'");
  }

  private static Generation generation(ApiKey key, Credits cost) {
    return db.generation(key, cost);
  }
}
