package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.ProviderResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void keepsWhatAGenerationReadFromAndWroteToThePromptCache() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    TokenUsage usage = new TokenUsage(2_000, 30, 0, 1_200, 700, 0, 0);
    Generation generation =
        db.generation(key, Credits.ofNanos(5_000), Credits.ofNanos(5_000), usage);

    db.spendGate.settle(db.spendGate.reserve(key, Credits.ofUsd("0.10")), generation);
    db.returnLeases(db.spendGate);

    assertThat(db.generations.findForOrg(org.organization().id(), generation.id()))
        .hasValueSatisfying(g -> assertThat(g.usage()).isEqualTo(usage));
  }

  @Test
  void keepsEveryProviderAFailedOverGenerationTriedAndNoneForAFirstAnswer() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    List<ProviderResponse> tried =
        List.of(
            new ProviderResponse("alpha", "test/failover", 503, "unavailable", 41, false),
            new ProviderResponse("beta", "test/failover", null, "connection", 7, true),
            new ProviderResponse("gamma", "test/other", 200, null, 350, false));
    Generation failedOver =
        db.generation(key, Credits.ofNanos(5), Credits.ofNanos(5), TokenUsage.of(3, 4), tried);
    Generation first = db.generation(key, Credits.ofNanos(5));

    db.spendGate.settle(db.spendGate.reserve(key, Credits.ofUsd("0.10")), failedOver);
    db.spendGate.settle(db.spendGate.reserve(key, Credits.ofUsd("0.10")), first);
    db.returnLeases(db.spendGate);

    OrganizationId id = org.organization().id();
    assertThat(db.generations.findForOrg(id, failedOver.id()).orElseThrow().providerResponses())
        .isEqualTo(tried);
    assertThat(db.generations.findForOrg(id, first.id()).orElseThrow().providerResponses())
        .isEmpty();
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM generations WHERE provider_responses IS NULL AND id = '"
                    + first.id()
                    + "'"))
        .isEqualTo(1);
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
  void aBatchWritesWhatItsSettlementsWouldOneByOne() {
    Founded first = db.orgWithCredits("1.00");
    Founded second = db.orgWithCredits("1.00");
    ApiKey firstKey = first.managementKey().key();
    ApiKey secondKey = second.managementKey().key();
    Reservation firstLease = db.spendGate.reserve(firstKey, Credits.ofUsd("0.10"));
    Reservation secondLease = db.spendGate.reserve(secondKey, Credits.ofUsd("0.10"));
    long firstLeased = leaseAmount(firstLease);
    Settlement firstDebit =
        new Settlement(
            firstLease.leaseId(),
            firstKey.orgId(),
            firstKey.id(),
            generation(firstKey, Credits.ofUsd("0.03")),
            Credits.ofUsd("0.03"),
            false);
    Settlement firstShrink =
        new Settlement(
            firstLease.leaseId(),
            firstKey.orgId(),
            firstKey.id(),
            null,
            Credits.ofUsd("0.01"),
            false);
    Settlement secondDebit =
        new Settlement(
            secondLease.leaseId(),
            secondKey.orgId(),
            secondKey.id(),
            generation(secondKey, Credits.ofUsd("0.02")),
            Credits.ofUsd("0.02"),
            false);
    Settlement secondReturned =
        Settlement.returned(secondLease.leaseId(), secondKey.orgId(), secondKey.id());

    // the second organization's first, the first's debit twice, its lease returned mid-batch
    db.settlements.settle(
        List.of(secondDebit, firstDebit, secondReturned, firstShrink, firstDebit));

    AccountBalance firstBalance = db.ledger.balance(first.organization().id());
    assertThat(firstBalance.balance()).isEqualTo(Credits.ofUsd("0.97"));
    long firstLeft = firstLeased - Credits.ofUsd("0.04").nanos();
    assertThat(leaseAmount(firstLease)).isEqualTo(firstLeft);
    assertThat(firstBalance.reserved()).isEqualTo(Credits.ofNanos(firstLeft));
    assertThat(db.keys.findForOrg(first.organization().id(), firstKey.hash()).orElseThrow().usage())
        .isEqualTo(Credits.ofUsd("0.03"));
    AccountBalance secondBalance = db.ledger.balance(second.organization().id());
    assertThat(secondBalance.balance()).isEqualTo(Credits.ofUsd("0.98"));
    assertThat(secondBalance.reserved()).isEqualTo(Credits.ZERO);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM reservations WHERE id = '" + secondLease.leaseId() + "'"))
        .isZero();
    assertThat(
            db.keys.findForOrg(second.organization().id(), secondKey.hash()).orElseThrow().usage())
        .isEqualTo(Credits.ofUsd("0.02"));
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM ledger_transactions WHERE kind = 'usage' AND org_id IN ('"
                    + first.organization().id()
                    + "', '"
                    + second.organization().id()
                    + "')"))
        .isEqualTo(2);
    assertThat(
            db.queryString(
                "SELECT ledger_transaction_id IS NOT NULL FROM generations WHERE id = '"
                    + firstDebit.generation().id()
                    + "'"))
        .isEqualTo("t");
    assertThat(db.queryLong("SELECT coalesce(sum(amount_nanos), 0) FROM ledger_entries")).isZero();
  }

  @Test
  void writersSettlingTheSameOrganizationsInOppositeOrdersNeverDeadlock() throws Exception {
    List<ApiKey> keys = new ArrayList<>();
    List<UUID> leases = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ApiKey key = db.orgWithCredits("10.00").managementKey().key();
      keys.add(key);
      leases.add(db.spendGate.reserve(key, Credits.ofUsd("0.001")).leaseId());
    }
    int rounds = 30;
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (boolean reversed : new boolean[] {false, true}) {
        done.add(
            writers.submit(
                () -> {
                  for (int round = 0; round < rounds; round++) {
                    List<Settlement> batch = new ArrayList<>();
                    for (int i = 0; i < keys.size(); i++) {
                      int k = reversed ? keys.size() - 1 - i : i;
                      ApiKey key = keys.get(k);
                      batch.add(
                          new Settlement(
                              leases.get(k),
                              key.orgId(),
                              key.id(),
                              generation(key, Credits.ofNanos(1_000)),
                              Credits.ofNanos(1_000),
                              false));
                    }
                    together.await();
                    db.settlements.settle(batch);
                  }
                  return null;
                }));
      }
      for (Future<?> writer : done) {
        writer.get(); // a deadlock would surface here as the batch's exception
      }
    } finally {
      writers.shutdown();
    }
    for (ApiKey key : keys) {
      assertThat(db.ledger.balance(key.orgId()).balance())
          .isEqualTo(Credits.ofUsd("10.00").minus(Credits.ofNanos(2L * rounds * 1_000)));
    }
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

  @Test
  void settlementsAJournalHeldWhenTheInstanceDiedAreWrittenAtTheNextStart(@TempDir Path dir)
      throws Exception {
    Founded org = db.orgWithCredits("1.00");
    // the answer was delivered once the journal had its settlement; the instance died before the
    // database did
    Generation generation = journalOnly(dir, org, Credits.ofNanos(7_654_321));
    OrganizationId id = org.organization().id();
    assertThat(db.generations.findForOrg(id, generation.id())).isEmpty();

    SettlementQueue restarted = new SettlementQueue(db.settlements, SettlementJournal.open(dir));
    try {
      assertThat(restarted.replayJournal(Duration.ofSeconds(30))).isEqualTo(1);
      assertThat(db.generations.findForOrg(id, generation.id())).isPresent();
      assertThat(db.ledger.balance(id).totalUsage()).isEqualTo(Credits.ofNanos(7_654_321));
    } finally {
      restarted.close();
    }
    try (SettlementJournal again = SettlementJournal.open(dir)) {
      assertThat(again.recovered()).as("written, so not replayed again").isEmpty();
    }
  }

  @Test
  void aReplayTheDatabaseCannotTakeInTimeFailsTheStartAndIsWrittenOnceItCan(@TempDir Path dir)
      throws Exception {
    Founded org = db.orgWithCredits("1.00");
    Generation generation = journalOnly(dir, org, Credits.ofNanos(1_234_567));

    SettlementQueue restarted = new SettlementQueue(db.settlements, SettlementJournal.open(dir));
    try (Connection holder = db.dataSource.getConnection();
        Statement lock = holder.createStatement()) {
      holder.setAutoCommit(false);
      lock.execute("LOCK TABLE ledger_transactions IN SHARE MODE");
      assertThatThrownBy(() -> restarted.replayJournal(Duration.ofMillis(300)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not all written");
      holder.rollback();
    } finally {
      restarted.close();
    }
    OrganizationId id = org.organization().id();
    assertThat(db.generations.findForOrg(id, generation.id()))
        .as("written once the database let it through")
        .isPresent();
    assertThat(db.ledger.balance(id).totalUsage()).isEqualTo(Credits.ofNanos(1_234_567));
  }

  @Test
  void aJournaledQueueAnswersFromTheJournalAndTheDatabaseGetsEverySettlement(@TempDir Path dir)
      throws Exception {
    Founded org = db.orgWithCredits("5.00");
    ApiKey key = org.managementKey().key();
    SettlementQueue journaled = new SettlementQueue(db.settlements, SettlementJournal.open(dir));
    SpendGate gate = db.spendGate(db.transactions, journaled);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Credits spent = Credits.ZERO;
    try {
      List<Future<Credits>> costs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long nanos = 20_011L * (i + 1);
        costs.add(
            pool.submit(
                () -> {
                  Reservation r = gate.reserve(key, Credits.ofUsd("0.04"));
                  gate.settle(r, generation(key, Credits.ofNanos(nanos))).get();
                  return Credits.ofNanos(nanos);
                }));
      }
      for (Future<Credits> cost : costs) {
        spent = spent.plus(cost.get());
      }
      gate.returnAll();
      assertThat(journaled.awaitSettled(Duration.ofSeconds(30))).isTrue();
    } finally {
      pool.shutdown();
      journaled.close();
    }

    OrganizationId id = org.organization().id();
    assertThat(db.ledger.balance(id).balance()).isEqualTo(Credits.ofUsd("5.00").minus(spent));
    assertThat(db.ledger.balance(id).reserved()).isEqualTo(Credits.ZERO);
    assertThat(db.queryLong("SELECT count(*) FROM generations WHERE org_id = '" + id.value() + "'"))
        .isEqualTo(200);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.filter(p -> p.toString().endsWith(".journal")))
          .as("a closed queue leaves no segment the database has")
          .isEmpty();
    }
  }

  @Test
  void answersWaitForADatabaseThatFallsTooFarBehindTheJournal(@TempDir Path dir) throws Exception {
    Founded org = db.orgWithCredits("50.00");
    ApiKey key = org.managementKey().key();
    // the database makes no progress for as long as this test holds the ledger's transactions
    // locked (a settlement's first write; before it takes any hold's lock, so reserving goes on);
    // answers must not give up waiting for it within the test
    SettlementQueue journaled =
        new SettlementQueue(db.settlements, SettlementJournal.open(dir), Duration.ofHours(1));
    SpendGate gate = db.spendGate(db.transactions, journaled);
    int requests = (int) SettlementQueue.MAX_UNWRITTEN + 200;
    List<CompletableFuture<Void>> answers = new ArrayList<>();
    try (Connection holder = db.dataSource.getConnection();
        Statement lock = holder.createStatement()) {
      holder.setAutoCommit(false);
      lock.execute("LOCK TABLE ledger_transactions IN SHARE MODE");
      for (int i = 0; i < requests; i++) {
        Reservation r = gate.reserve(key, Credits.ofUsd("0.001"));
        answers.add(gate.settle(r, generation(key, Credits.ofNanos(1_000 + i))));
      }
      assertThat(journaled.unwritten()).isEqualTo(requests);
      CompletableFuture<Void> last = answers.get(requests - 1);
      assertThatThrownBy(() -> last.get(2, TimeUnit.SECONDS))
          .as("an answer past the bound waits while the database is behind")
          .isInstanceOf(TimeoutException.class);
      assertThat(answers.get(0)).as("one within it does not").isCompleted();
      holder.rollback();
    }
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      gate.returnAll();
      assertThat(journaled.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(journaled.unwritten()).isZero();
    } finally {
      journaled.close();
    }
    OrganizationId id = org.organization().id();
    long spent = 0;
    for (int i = 0; i < requests; i++) {
      spent += 1_000 + i;
    }
    assertThat(db.ledger.balance(id).balance())
        .isEqualTo(Credits.ofUsd("50.00").minus(Credits.ofNanos(spent)));
    assertThat(db.queryLong("SELECT count(*) FROM generations WHERE org_id = '" + id.value() + "'"))
        .isEqualTo(requests);
  }

  /**
   * A request of {@code org} whose settlement is in the journal in {@code dir} and nowhere else.
   */
  private static Generation journalOnly(Path dir, Founded org, Credits cost) throws Exception {
    ApiKey key = org.managementKey().key();
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd("0.10"));
    Generation generation = generation(key, cost);
    try (SettlementJournal journal = SettlementJournal.open(dir)) {
      journal.append(
          List.of(
              new Settlement(
                  reservation.leaseId(),
                  reservation.orgId(),
                  reservation.apiKeyId(),
                  generation,
                  generation.cost(),
                  false)));
    }
    return generation;
  }

  private static long leaseAmount(Reservation reservation) {
    return db.queryLong(
        "SELECT amount_nanos FROM reservations WHERE id = '" + reservation.leaseId() + "'");
  }

  private static Generation generation(ApiKey key, Credits cost) {
    return db.generation(key, cost);
  }
}
