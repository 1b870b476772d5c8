package dev.switchboard.domain.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.keys.RequestRates.Limit;
import dev.switchboard.domain.keys.RequestRates.Verdict;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestRatesTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T10:00:05Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final Founded org = db.orgWithCredits("1.00");
  private final ApiKey key = org.managementKey().key();
  private final RequestRates one = new RequestRates(db.transactions, clock);
  private final RequestRates other = new RequestRates(db.transactions, clock);
  private final ExecutorService pool = Executors.newFixedThreadPool(32);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void twoInstancesTogetherAdmitExactlyTheLimitInAWindow() throws Exception {
    List<Limit> limits = List.of(Limit.ofKey(key, 120));

    int admitted = admitConcurrently(limits, 400);

    assertThat(admitted).isEqualTo(120);
    assertThat(granted("key:" + key.id())).isEqualTo(120);
    // a used-up window is refused from memory: no instance asks the database again
    Verdict refused = one.admit(limits);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.reset()).isEqualTo(Instant.parse("2026-12-04T10:01:00Z"));
    assertThat(refused.retryAfterSeconds(clock.instant())).isEqualTo(55);
  }

  @Test
  void theNextMinuteIsAWindowOfItsOwn() {
    List<Limit> limits = List.of(Limit.ofKey(key, 3));
    for (int i = 0; i < 3; i++) {
      assertThat(one.admit(limits).admitted()).isTrue();
    }
    assertThat(one.admit(limits).admitted()).isFalse();
    assertThat(other.admit(limits).admitted()).isFalse();

    clock.advance(Duration.ofSeconds(55)); // 10:01:00

    Verdict next = other.admit(limits);
    assertThat(next.admitted()).isTrue();
    assertThat(next.remaining()).isEqualTo(2);
    assertThat(next.reset()).isEqualTo(Instant.parse("2026-12-04T10:02:00Z"));

    clock.advance(Duration.ofMinutes(15));
    assertThat(one.purge()).isEqualTo(2);
    assertThat(db.count("rate_windows")).isZero();
  }

  @Test
  void anOrganizationsLimitHoldsAcrossItsKeysAndARefusalTakesNothing() {
    ApiKey second =
        db.keys
            .create(
                org.organization().id(),
                org.organization().defaultWorkspaceId(),
                new KeySettings("second", null, null, null),
                false)
            .key();
    Limit orgLimit = Limit.ofOrganization(org.organization().id(), 2);
    List<Limit> first = List.of(Limit.ofKey(key, 5), orgLimit);
    List<Limit> other = List.of(Limit.ofKey(second, 5), orgLimit);

    assertThat(one.admit(first).admitted()).isTrue();
    assertThat(one.admit(other).admitted()).isTrue();
    Verdict refused = one.admit(first);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.limit()).isEqualTo(2);
    // the key's request taken before the organization refused went back to this instance's share
    Verdict keyOnly = one.admit(List.of(Limit.ofKey(key, 5)));
    assertThat(keyOnly.remaining()).isEqualTo(3);
  }

  @Test
  void twoInstancesTogetherAdmitExactlyADaysQuotaUntilUtcMidnight() throws Exception {
    Limit day = Limit.ofFreeDay(org.organization().id(), 50);
    List<Limit> limits = List.of(day);

    assertThat(admitConcurrently(limits, 320)).isEqualTo(50);
    assertThat(granted(day.subject())).isEqualTo(50);

    // minutes later, in the same UTC day, the quota is still used up on both instances
    clock.advance(Duration.ofHours(13)); // 23:00:05
    Verdict refused = other.admit(limits);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.ofFreeTier()).isTrue();
    assertThat(refused.window()).isEqualTo(RequestRates.Window.DAY);
    assertThat(refused.reset()).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
    assertThat(refused.retryAfterSeconds(clock.instant())).isEqualTo(3595);
    // the day's window outlives the purge of ended minutes
    assertThat(one.purge()).isZero();
    assertThat(one.admit(limits).admitted()).isFalse();

    clock.advance(Duration.ofMinutes(60)); // 2026-12-05T00:00:05Z, a new UTC day
    Verdict next = one.admit(limits);
    assertThat(next.admitted()).isTrue();
    assertThat(next.reset()).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
    clock.advance(Duration.ofMinutes(11));
    assertThat(one.purge()).isEqualTo(1); // yesterday's window, ended more than 10 minutes ago
  }

  @Test
  void theByokAllowanceIsACalendarMonthSharedByTwoInstances() throws Exception {
    Limit month = Limit.ofByokAllowance(org.organization().id(), 40);
    List<Limit> limits = List.of(month);

    assertThat(admitConcurrently(limits, 200)).isEqualTo(40);
    Verdict over = other.admit(limits);
    assertThat(over.admitted()).isFalse();
    assertThat(over.window()).isEqualTo(RequestRates.Window.MONTH);
    assertThat(over.reset()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));

    clock.advance(Duration.ofDays(27).plusHours(13)); // 2026-12-31T23:00:05Z, still December
    assertThat(one.admit(limits).admitted()).isFalse();
    clock.advance(Duration.ofHours(1)); // 2027-01-01T00:00:05Z
    Verdict january = one.admit(limits);
    assertThat(january.admitted()).isTrue();
    assertThat(january.reset()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
  }

  @Test
  void monthsAreCalendarMonthsInUtc() {
    RequestRates.Window month = RequestRates.Window.MONTH;
    Instant leapDay = Instant.parse("2028-02-29T23:59:59Z");
    assertThat(month.start(leapDay)).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
    assertThat(month.end(month.start(leapDay))).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
    assertThat(month.start(Instant.parse("2028-03-01T00:00:00Z")))
        .isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
  }

  @Test
  void aFreeRequestCountsInBothItsMinuteAndItsDay() {
    List<Limit> limits =
        List.of(
            Limit.ofFreeMinute(org.organization().id(), 2),
            Limit.ofFreeDay(org.organization().id(), 3));
    assertThat(one.admit(limits).admitted()).isTrue();
    assertThat(other.admit(limits).admitted()).isTrue();
    Verdict minute = one.admit(limits);
    assertThat(minute.admitted()).isFalse();
    assertThat(minute.window()).isEqualTo(RequestRates.Window.MINUTE);
    assertThat(minute.reset()).isEqualTo(Instant.parse("2026-12-04T10:01:00Z"));

    clock.advance(Duration.ofMinutes(1));
    assertThat(one.admit(limits).admitted()).isTrue();
    Verdict day = other.admit(limits);
    assertThat(day.admitted()).isFalse();
    assertThat(day.limit()).isEqualTo(3);
    assertThat(day.reset()).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
    // the minute refused nothing: the request the minute took went back, the day's count stays 3
    assertThat(granted(limits.get(1).subject())).isEqualTo(3);
  }

  @Test
  void aDayQuotaRaisedByAPurchaseAdmitsTheDifferenceInTheSameDayOnEveryInstance() {
    // the free tier's day quota grows from 3 to 5 when the organization buys credits: a window
    // each instance had found used up under the old quota has room again under the new one
    Limit freeTier = Limit.ofFreeDay(org.organization().id(), 3);
    for (int i = 0; i < 3; i++) {
      assertThat(one.admit(List.of(freeTier)).admitted()).isTrue();
    }
    assertThat(one.admit(List.of(freeTier)).admitted()).isFalse();
    assertThat(other.admit(List.of(freeTier)).admitted()).isFalse();

    Limit paid = Limit.ofFreeDay(org.organization().id(), 5);
    Verdict fourth = one.admit(List.of(paid));
    assertThat(fourth.admitted()).isTrue();
    assertThat(fourth.limit()).isEqualTo(5);
    assertThat(fourth.remaining()).isEqualTo(1);
    assertThat(other.admit(List.of(paid)).admitted()).isTrue();
    assertThat(one.admit(List.of(paid)).admitted()).isFalse();
    assertThat(other.admit(List.of(paid)).admitted()).isFalse();
    assertThat(granted(paid.subject())).isEqualTo(5);
  }

  @Test
  void noLimitAdmitsWithoutAVerdict() {
    assertThat(one.admit(List.of())).isNull();
  }

  private int admitConcurrently(List<Limit> limits, int requests) throws Exception {
    CyclicBarrier start = new CyclicBarrier(32);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 32; w++) {
      RequestRates instance = w % 2 == 0 ? one : other;
      workers.add(
          pool.submit(
              () -> {
                start.await();
                int admitted = 0;
                for (int i = 0; i < requests / 32; i++) {
                  if (instance.admit(limits).admitted()) {
                    admitted++;
                  }
                }
                return admitted;
              }));
    }
    int admitted = 0;
    for (Future<Integer> worker : workers) {
      admitted += worker.get();
    }
    return admitted;
  }

  private long granted(String subject) {
    return db.queryLong(
        "SELECT coalesce(sum(granted), 0) FROM rate_windows WHERE subject = '" + subject + "'");
  }
}
