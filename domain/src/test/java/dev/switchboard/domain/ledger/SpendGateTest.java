package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeyPatch;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import dev.switchboard.domain.usage.Generation;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SpendGateTest {

  private static final DomainFixture db = new DomainFixture();
  private static final ExecutorService pool = Executors.newFixedThreadPool(32);
  private static final Credits CENT = Credits.ofUsd("0.01");

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  @Test
  void concurrentRequestsNeverReserveMoreThanTheBalance() throws Exception {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();

    List<Reservation> admitted = reserveConcurrently(List.of(db.spendGate), key, CENT, 200);

    // one instance ends up leasing the whole balance: not a nano-dollar is refused or overspent
    assertThat(admitted).hasSize(100);
    AccountBalance balance = db.ledger.balance(org.organization().id());
    assertThat(balance.reserved()).isEqualTo(Credits.ofUsd("1.00"));
    assertThat(balance.available()).isEqualTo(Credits.ZERO);
    assertThatThrownBy(() -> db.spendGate.reserve(key, Credits.ofNanos(1)))
        .isInstanceOfSatisfying(
            ReservationRefusedException.class,
            e -> {
              assertThat(e.budget()).isEqualTo(ReservationRefusedException.Budget.CREDITS);
              assertThat(e.getMessage()).contains("$0.000000001").contains("only $0.00");
            });

    admitted.forEach(db.spendGate::release);
    db.returnLeases(db.spendGate);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
    assertThat(db.ledger.balance(org.organization().id()).balance())
        .isEqualTo(Credits.ofUsd("1.00"));
    assertThat(leaseRows(org.organization().id())).isZero();
  }

  @Test
  void aSettlementsFutureCompletesOnceItsDebitAndGenerationAreCommitted() throws Exception {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    Reservation reservation = db.spendGate.reserve(key, CENT);
    Generation generation = db.generation(key, Credits.ofUsd("0.004"));

    db.spendGate.settle(reservation, generation).get(10, TimeUnit.SECONDS);

    // read on another connection, without waiting for the queue: committed, not merely queued
    assertThat(db.count("generations WHERE id = '" + generation.id() + "'")).isEqualTo(1);
    assertThat(db.ledger.balance(org.organization().id()).balance())
        .isEqualTo(Credits.ofUsd("0.996"));
  }

  @Test
  void concurrentRequestsNeverReserveMoreThanTheKeyLimit() throws Exception {
    Founded org = db.orgWithCredits("100.00");
    ApiKey limited = limitedKey(org, "0.05");

    List<Reservation> admitted = reserveConcurrently(List.of(db.spendGate), limited, CENT, 40);

    assertThat(admitted).hasSize(5);
    assertThatThrownBy(() -> db.spendGate.reserve(limited, CENT))
        .isInstanceOfSatisfying(
            ReservationRefusedException.class,
            e -> assertThat(e.budget()).isEqualTo(ReservationRefusedException.Budget.KEY_LIMIT));
    // the lease never held more of the organization than the key may spend
    assertThat(db.ledger.balance(org.organization().id()).reserved())
        .isEqualTo(Credits.ofUsd("0.05"));
    admitted.forEach(db.spendGate::release);
  }

  @Test
  void twoInstancesNeverTogetherReserveMoreThanTheBalanceAndReturnEverything() throws Exception {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    SpendGate other = db.spendGate(db.transactions);

    List<Admitted> admitted = admitConcurrently(List.of(db.spendGate, other), key, CENT, 300);

    assertThat(admitted.size()).isBetween(1, 100);
    AccountBalance held = db.ledger.balance(org.organization().id());
    assertThat(held.reserved()).isLessThanOrEqualTo(Credits.ofUsd("1.00"));
    assertThat(held.available()).isGreaterThanOrEqualTo(Credits.ZERO);

    admitted.forEach(r -> r.gate().release(r.reservation()));
    db.returnLeases(db.spendGate);
    db.returnLeases(other);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
    // nothing stayed stuck with either instance: the whole balance can be spent from one
    Reservation all = other.reserve(key, Credits.ofUsd("1.00"));
    other.release(all);
    db.returnLeases(other);
  }

  @Test
  void requestsWithinALeaseMakeNoDatabaseRoundTrip() {
    Founded org = db.orgWithCredits("100.00");
    ApiKey key = org.managementKey().key();
    AtomicInteger connections = new AtomicInteger();
    SpendGate counted =
        db.spendGate(new TransactionRunner(counting(db.applicationDataSource, connections)));

    List<Reservation> admitted = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      admitted.add(counted.reserve(key, CENT));
    }

    // leases of 16, 32 and 64 requests' worth, each taken in one round trip
    assertThat(connections.get()).isEqualTo(3);
    admitted.forEach(counted::release);
    db.returnLeases(counted);
  }

  @Test
  void settlementShrinksTheLeaseByTheCostAndAnIdleLeaseIsReturned() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    SpendGate quickToReturn =
        new SpendGate(
            db.transactions, db.settlementQueue, db.clock, Duration.ofMinutes(5), Duration.ZERO);
    Reservation reservation = quickToReturn.reserve(key, Credits.ofUsd("0.10"));

    quickToReturn.settle(reservation, db.generation(key, Credits.ofNanos(12_345_678)));
    db.awaitSettled();
    OrganizationId id = org.organization().id();
    // the debit is written and the lease shrank by it; the lease itself is still held, for the next
    assertThat(db.ledger.balance(id).balance())
        .isEqualTo(Credits.ofUsd("1.00").minus(Credits.ofNanos(12_345_678)));
    assertThat(leaseRows(id)).isOne();

    quickToReturn.maintain();
    db.awaitSettled();
    assertThat(db.ledger.balance(id).reserved()).isEqualTo(Credits.ZERO);
    assertThat(db.ledger.balance(id).available())
        .isEqualTo(Credits.ofUsd("1.00").minus(Credits.ofNanos(12_345_678)));
    assertThat(leaseRows(id)).isZero();
  }

  @Test
  void aLoweredKeyLimitIsNotSpentPastFromAnOlderLease() {
    Founded org = db.orgWithCredits("100.00");
    ApiKey key = limitedKey(org, "1.00");
    db.spendGate.release(db.spendGate.reserve(key, CENT)); // leases 0.16, of which 0.15 unused

    ApiKey lowered =
        db.keys
            .update(
                org.organization().id(),
                key.hash(),
                new KeyPatch(null, null, true, CENT, false, null, false, null))
            .orElseThrow();

    assertThatThrownBy(() -> db.spendGate.reserve(lowered, Credits.ofUsd("0.10")))
        .isInstanceOfSatisfying(
            ReservationRefusedException.class,
            e -> assertThat(e.budget()).isEqualTo(ReservationRefusedException.Budget.KEY_LIMIT));
  }

  @Test
  void aLiveLeaseIsRenewedAndOneReleasedBehindItsBackIsNeverSpentFromAgain() throws Exception {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    MovableClock clock = new MovableClock(db.clock.instant().truncatedTo(ChronoUnit.MICROS));
    SpendGate gate =
        new SpendGate(
            db.transactions,
            db.settlementQueue,
            clock,
            Duration.ofSeconds(60),
            Duration.ofMinutes(10));
    Reservation inFlight = gate.reserve(key, CENT);

    clock.advance(Duration.ofSeconds(40)); // past half the lease time
    gate.maintain();
    assertThat(leaseExpiry(inFlight)).isEqualTo(clock.instant().plusSeconds(60));

    // the reconciler of another instance released it (as if this one had been away)
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement release = c.prepareStatement("CALL switchboard_release(?)")) {
      release.setObject(1, inFlight.leaseId());
      release.execute();
    }
    clock.advance(Duration.ofSeconds(40));
    gate.maintain();

    Reservation next = gate.reserve(key, CENT);
    assertThat(next.leaseId()).isNotEqualTo(inFlight.leaseId());
    assertThat(db.ledger.balance(org.organization().id()).reserved())
        .isEqualTo(Credits.ofNanos(leaseAmount(next)));
    gate.release(inFlight);
    gate.release(next);
    db.returnLeases(gate);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
  }

  @Test
  void expiredLeasesAreReleasedOnce() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    SpendGate crashed =
        new SpendGate(
            db.transactions,
            db.settlementQueue,
            db.clock,
            Duration.ofMillis(-1),
            Duration.ofMinutes(5));
    Reservation stale = crashed.reserve(key, Credits.ofUsd("0.40"));

    assertThat(db.settlements.releaseExpired()).isGreaterThanOrEqualTo(1);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);

    // the request's own late settlement and the lease's return release nothing a second time
    crashed.release(stale);
    db.returnLeases(crashed);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
    assertThat(db.ledger.balance(org.organization().id()).available())
        .isEqualTo(Credits.ofUsd("1.00"));
  }

  private static ApiKey limitedKey(Founded org, String usd) {
    return db.keys
        .create(
            org.organization().id(),
            org.organization().defaultWorkspaceId(),
            new KeySettings("limited", Credits.ofUsd(usd), LimitReset.DAILY, null),
            false)
        .key();
  }

  private static long leaseAmount(Reservation r) {
    return db.queryLong("SELECT amount_nanos FROM reservations WHERE id = '" + r.leaseId() + "'");
  }

  private static Instant leaseExpiry(Reservation r) throws Exception {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement("SELECT expires_at FROM reservations WHERE id = ?")) {
      query.setObject(1, r.leaseId());
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getTimestamp(1).toInstant();
      }
    }
  }

  private static long leaseRows(OrganizationId org) {
    return db.queryLong("SELECT count(*) FROM reservations WHERE org_id = '" + org.value() + "'");
  }

  private static DataSource counting(DataSource target, AtomicInteger connections) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                connections.incrementAndGet();
              }
              return method.invoke(target, args);
            });
  }

  /** A reservation and the instance that made it. */
  private record Admitted(SpendGate gate, Reservation reservation) {}

  private static List<Reservation> reserveConcurrently(
      List<SpendGate> gates, ApiKey key, Credits amount, int requests) throws Exception {
    return admitConcurrently(gates, key, amount, requests).stream()
        .map(Admitted::reservation)
        .toList();
  }

  private static List<Admitted> admitConcurrently(
      List<SpendGate> gates, ApiKey key, Credits amount, int requests) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Admitted>> futures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      SpendGate gate = gates.get(i % gates.size());
      Callable<Admitted> attempt =
          () -> {
            start.await();
            try {
              return new Admitted(gate, gate.reserve(key, amount));
            } catch (ReservationRefusedException refused) {
              return null;
            }
          };
      futures.add(pool.submit(attempt));
    }
    start.countDown();
    List<Admitted> admitted = new ArrayList<>();
    for (Future<Admitted> future : futures) {
      Admitted r = future.get();
      if (r != null) {
        admitted.add(r);
      }
    }
    return admitted;
  }
}
