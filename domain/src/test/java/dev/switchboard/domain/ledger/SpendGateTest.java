package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SpendGateTest {

  private static final DomainFixture db = new DomainFixture();
  private static final ExecutorService pool = Executors.newFixedThreadPool(32);

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  @Test
  void concurrentRequestsNeverReserveMoreThanTheBalance() throws Exception {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    Credits cent = Credits.ofUsd("0.01");

    List<Reservation> admitted = reserveConcurrently(key, cent, 200);

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

    admitted.forEach(r -> db.settlements.settle(List.of(Settlement.released(r))));
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
    assertThat(db.ledger.balance(org.organization().id()).balance())
        .isEqualTo(Credits.ofUsd("1.00"));
  }

  @Test
  void concurrentRequestsNeverReserveMoreThanTheKeyLimit() throws Exception {
    Founded org = db.orgWithCredits("100.00");
    ApiKey limited =
        db.keys
            .create(
                org.organization().id(),
                org.organization().defaultWorkspaceId(),
                new KeySettings("limited", Credits.ofUsd("0.05"), LimitReset.DAILY, null),
                false)
            .key();

    List<Reservation> admitted = reserveConcurrently(limited, Credits.ofUsd("0.01"), 40);

    assertThat(admitted).hasSize(5);
    assertThatThrownBy(() -> db.spendGate.reserve(limited, Credits.ofUsd("0.01")))
        .isInstanceOfSatisfying(
            ReservationRefusedException.class,
            e -> assertThat(e.budget()).isEqualTo(ReservationRefusedException.Budget.KEY_LIMIT));
    // the refused key's hold on the organization was rolled back with it
    assertThat(db.ledger.balance(org.organization().id()).reserved())
        .isEqualTo(Credits.ofUsd("0.05"));
  }

  @Test
  void expiredReservationsAreReleasedOnce() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    SpendGate shortHolds =
        new SpendGate(db.transactions, db.clock, java.time.Duration.ofMillis(-1));
    Reservation stale = shortHolds.reserve(key, Credits.ofUsd("0.40"));

    assertThat(db.settlements.releaseExpired()).isGreaterThanOrEqualTo(1);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);

    // the request's own late settlement releases nothing a second time
    db.settlements.settle(List.of(Settlement.released(stale)));
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
    assertThat(db.ledger.balance(org.organization().id()).available())
        .isEqualTo(Credits.ofUsd("1.00"));
  }

  private static List<Reservation> reserveConcurrently(ApiKey key, Credits amount, int requests)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reservation>> futures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      Callable<Reservation> attempt =
          () -> {
            start.await();
            try {
              return db.spendGate.reserve(key, amount);
            } catch (ReservationRefusedException refused) {
              return null;
            }
          };
      futures.add(pool.submit(attempt));
    }
    start.countDown();
    List<Reservation> admitted = new ArrayList<>();
    for (Future<Reservation> future : futures) {
      Reservation r = future.get();
      if (r != null) {
        admitted.add(r);
      }
    }
    return admitted;
  }
}
