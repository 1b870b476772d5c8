package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.keys.KeyUsage;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A key's limit starts over at 00:00 UTC (daily), on Monday (weekly) or on the 1st (monthly), with
 * the clock moved across the reset while a request is in flight: before it the limit holds to the
 * nano-dollar, after it the whole limit is there again, and the request that was in flight counts
 * in the period it settled in.
 */
class KeyLimitResetTest {

  private static final Credits CENT = Credits.ofUsd("0.01");

  @ParameterizedTest
  @CsvSource({
    "daily,   2026-12-02T23:59:58Z",
    "weekly,  2026-12-06T23:59:58Z", // a Sunday
    "monthly, 2026-11-30T23:59:58Z"
  })
  void theLimitStartsOverAtTheResetWithARequestInFlightAcrossIt(String reset, Instant before) {
    MovableClock clock = new MovableClock(before);
    DomainFixture db = new DomainFixture(clock);
    Founded org = db.orgWithCredits("100.00");
    ApiKey key =
        db.keys
            .create(
                org.organization().id(),
                org.organization().defaultWorkspaceId(),
                new KeySettings(
                    "limited", Credits.ofUsd("0.05"), LimitReset.parse(reset).orElseThrow(), null),
                false)
            .key();
    for (int i = 0; i < 4; i++) {
      spend(db, key);
    }
    Reservation inFlight = db.spendGate.reserve(key, CENT);
    refused(db, key);

    clock.advance(Duration.ofSeconds(3)); // 00:00:01 of the next period
    db.spendGate.settle(inFlight, db.generation(key, CENT));
    db.awaitSettled();
    for (int i = 0; i < 4; i++) {
      spend(db, key);
    }
    refused(db, key);

    ApiKey now = db.keys.findForOrg(org.organization().id(), key.hash()).orElseThrow();
    assertThat(now.usageInCurrentPeriod(clock.instant())).isEqualTo(Credits.ofUsd("0.05"));
    assertThat(now.limitRemaining(clock.instant())).isEqualTo(Credits.ZERO);
    assertThat(now.usage())
        .isEqualTo(Credits.ofUsd("0.09")); // 4 before, the one in flight, 4 after
    KeyUsage usage = db.keys.usage(now);
    assertThat(usage.total()).isEqualTo(Credits.ofUsd("0.09"));
    assertThat(usage.daily()).isEqualTo(Credits.ofUsd("0.05"));
    db.returnLeases(db.spendGate);
    assertThat(db.ledger.balance(org.organization().id()).reserved()).isEqualTo(Credits.ZERO);
    assertThat(new LedgerReconciler(db.transactions).check().clean()).isTrue();
  }

  private static void spend(DomainFixture db, ApiKey key) {
    Reservation reservation = db.spendGate.reserve(key, CENT);
    db.spendGate.settle(reservation, db.generation(key, CENT));
    db.awaitSettled();
  }

  private static void refused(DomainFixture db, ApiKey key) {
    assertThatThrownBy(() -> db.spendGate.reserve(key, Credits.ofNanos(1)))
        .isInstanceOfSatisfying(
            ReservationRefusedException.class,
            e -> assertThat(e.budget()).isEqualTo(ReservationRefusedException.Budget.KEY_LIMIT));
  }
}
