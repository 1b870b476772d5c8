package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.catalog.CatalogLoader;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import dev.switchboard.domain.usage.Generation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SettlementBookTest {

  private static final DomainFixture db = new DomainFixture();
  private static final long PRICE_ID =
      db.priceBook
          .record(
              CatalogLoader.parse(
                  "test",
                  """
                  providers:
                    - {slug: p, name: P, api: openai, base_url: "http://127.0.0.1:1/v1", api_key_env: P_KEY}
                  models:
                    - id: a/m
                      name: M
                      context_length: 1000
                      endpoints:
                        - {provider: p, upstream_model: m, pricing: {prompt: "0.000001", completion: "0.000002"}}
                  """))
          .get("a/m@p");

  @Test
  void debitsTheExactCostAndReleasesTheRestOfTheReservation() {
    Founded org = db.orgWithCredits("1.00");
    ApiKey key = org.managementKey().key();
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd("0.10"));
    Generation generation = generation(key, Credits.ofNanos(12_345_678));

    db.settlements.settle(List.of(new Settlement(reservation, generation)));

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
    Settlement settlement =
        new Settlement(
            db.spendGate.reserve(key, Credits.ofUsd("0.10")),
            generation(key, Credits.ofUsd("0.03")));

    db.settlements.settle(List.of(settlement));
    db.settlements.settle(List.of(settlement));

    AccountBalance balance = db.ledger.balance(org.organization().id());
    assertThat(balance.balance()).isEqualTo(Credits.ofUsd("0.97"));
    assertThat(balance.reserved()).isEqualTo(Credits.ZERO);
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
    try (SettlementQueue queue = new SettlementQueue(db.settlements)) {
      for (int i = 0; i < 200; i++) {
        ApiKey key = (i % 2 == 0 ? first : second).managementKey().key();
        long nanos = 10_003L * (i + 1);
        costs.add(
            pool.submit(
                () -> {
                  start.await();
                  Reservation r = db.spendGate.reserve(key, Credits.ofUsd("0.04"));
                  queue.submit(new Settlement(r, generation(key, Credits.ofNanos(nanos))));
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
      assertThat(queue.awaitSettled(Duration.ofSeconds(30))).isTrue();

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
      assertThat(db.count("reservations")).isZero();
    } finally {
      pool.shutdown();
    }
  }

  static Generation generation(ApiKey key, Credits cost) {
    return new Generation(
        "gen-" + UUID.randomUUID(),
        key.orgId(),
        key.id(),
        "a/m",
        "p",
        "m",
        PRICE_ID,
        TokenUsage.of(10, 20),
        false,
        cost,
        12,
        10,
        3L,
        false,
        false,
        "stop",
        "stop",
        "chat",
        null,
        null,
        Instant.now());
  }
}
