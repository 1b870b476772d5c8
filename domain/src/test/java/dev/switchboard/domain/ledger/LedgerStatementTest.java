package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerStatementTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);

  @Test
  void creditsAreListedOneByOneAndUsageSummedPerDayNewestFirstInPages() {
    Founded org = db.orgWithCredits("5.00");
    OrganizationId id = org.organization().id();
    ApiKey key = org.managementKey().key();
    spend(key, "0.10");
    spend(key, "0.05");
    clock.advance(Duration.ofDays(1));
    spend(key, "0.20");
    db.ledger.grant(id, Credits.ofUsd("2.00"), "more", null, "top-up by the operator");
    Founded other = db.orgWithCredits("9.00");
    spend(other.managementKey().key(), "0.30");

    List<StatementLine> all = db.ledger.statement(id, 0, 10);

    assertThat(all)
        .extracting(
            StatementLine::at, StatementLine::kind, StatementLine::amount, StatementLine::requests)
        .containsExactly(
            tuple(
                Instant.parse("2026-12-02T10:00:00Z"),
                StatementLine.Kind.CREDIT,
                Credits.ofUsd("2.00"),
                0L),
            tuple(
                Instant.parse("2026-12-02T00:00:00Z"),
                StatementLine.Kind.USAGE_DAY,
                Credits.ofUsd("-0.20"),
                1L),
            tuple(
                Instant.parse("2026-12-01T10:00:00Z"),
                StatementLine.Kind.CREDIT,
                Credits.ofUsd("5.00"),
                0L),
            tuple(
                Instant.parse("2026-12-01T00:00:00Z"),
                StatementLine.Kind.USAGE_DAY,
                Credits.ofUsd("-0.15"),
                2L));
    assertThat(all.get(0).description()).isEqualTo("top-up by the operator");
    assertThat(db.ledger.statement(id, 1, 2)).containsExactly(all.get(1), all.get(2));
    assertThat(db.ledger.statement(id, 4, 10)).isEmpty();
  }

  private void spend(ApiKey key, String usd) {
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd("1.00"));
    db.spendGate.settle(reservation, db.generation(key, Credits.ofUsd(usd)));
    db.returnLeases(db.spendGate);
  }
}
