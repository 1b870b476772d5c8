package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderError.Kind;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.usage.ProviderResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailoverTest {

  private static final ProviderError DOWN = ProviderError.of(Kind.UNAVAILABLE, 503, "down");
  private static final ProviderError CUT = ProviderError.of(Kind.CONNECTION, 0, "reset");
  private static final ProviderError BUSY_FOR_2S =
      ProviderError.of(Kind.RATE_LIMITED, 429, "slow down", Duration.ofSeconds(2));

  private final LoadedCatalog loaded = LoadedCatalogs.of(LoadedCatalogs.CHEAP_AND_DEAR);
  private final RoutePlanner planner = new RoutePlanner(new WireFormats());
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  private Failover failover(String model, int maxAttempts, Duration deadline) {
    List<Candidate> candidates = planner.plan(chat(model).parse(), loaded);
    return new Failover(
        candidates, new Failover.Limits(maxAttempts, deadline), now.get(), now::get);
  }

  private void elapse(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aRetryableFailureMovesToTheNextCandidateAndEveryAttemptIsListedWithTheAnswerLast() {
    Failover failover = failover("acme/chat", 5, Duration.ofMinutes(1));
    assertThat(failover.advance().provider().slug()).isEqualTo("cheap");
    elapse(40);

    assertThat(failover.failed(DOWN, true)).isInstanceOf(Failover.Next.NextCandidate.class);
    assertThat(failover.advance().provider().slug()).isEqualTo("dear");
    elapse(300);

    assertThat(failover.attempt()).isEqualTo(2);
    assertThat(failover.responsesAnsweredByCurrent())
        .containsExactly(
            new ProviderResponse("cheap", "acme/chat", 503, "unavailable", 40, false),
            new ProviderResponse("dear", "acme/chat", 200, null, 300, false));
  }

  @Test
  void aFirstAttemptThatAnswersListsNothing() {
    Failover failover = failover("acme/chat", 5, Duration.ofMinutes(1));
    failover.advance();

    assertThat(failover.responsesAnsweredByCurrent()).isEmpty();
  }

  @Test
  void theCallersOwnErrorsAndFailuresAfterOutputReachedTheClientAreNotRetried() {
    Failover failover = failover("acme/chat", 5, Duration.ofMinutes(1));
    failover.advance();

    assertThat(failover.failed(ProviderError.of(Kind.BAD_REQUEST, 400, "no"), true))
        .isInstanceOf(Failover.Next.GiveUp.class);
    Failover streaming = failover("acme/chat", 5, Duration.ofMinutes(1));
    streaming.advance();
    assertThat(streaming.failed(CUT, false)).isInstanceOf(Failover.Next.GiveUp.class);
  }

  @Test
  void theLastCandidateIsTriedAgainAfterItsRetryAfterAtMostThreeTimes() {
    Failover failover = failover("acme/solo", 10, Duration.ofMinutes(1));
    failover.advance();

    Failover.Next first = failover.failed(BUSY_FOR_2S, true);
    assertThat(first).isEqualTo(new Failover.Next.SameAfter(Duration.ofSeconds(2)));
    failover.again();
    assertThat(failover.failed(BUSY_FOR_2S, true)).isInstanceOf(Failover.Next.SameAfter.class);
    failover.again();

    assertThat(failover.failed(BUSY_FOR_2S, true)).isInstanceOf(Failover.Next.GiveUp.class);
    assertThat(failover.attempt()).isEqualTo(Failover.MAX_TRIES_PER_CANDIDATE);
  }

  @Test
  void aRetryAfterThatEndsPastTheDeadlineOrNoneAtAllEndsTheRequest() {
    Failover late = failover("acme/solo", 10, Duration.ofSeconds(10));
    late.advance();
    elapse(8_500);
    assertThat(late.failed(BUSY_FOR_2S, true)).isInstanceOf(Failover.Next.GiveUp.class);

    Failover unsaid = failover("acme/solo", 10, Duration.ofSeconds(10));
    unsaid.advance();
    assertThat(unsaid.failed(DOWN, true)).isInstanceOf(Failover.Next.GiveUp.class);
  }

  @Test
  void noAttemptStartsPastTheMaximumOrTheDeadlineThoughCandidatesRemain() {
    Failover capped = failover("acme/chat", 1, Duration.ofMinutes(1));
    capped.advance();
    assertThat(capped.failed(DOWN, true)).isInstanceOf(Failover.Next.GiveUp.class);

    Failover overdue = failover("acme/chat", 5, Duration.ofSeconds(30));
    overdue.advance();
    elapse(30_000);
    assertThat(overdue.failed(CUT, true)).isInstanceOf(Failover.Next.GiveUp.class);
    assertThat(overdue.responsesAnsweredByCurrent())
        .first()
        .isEqualTo(new ProviderResponse("cheap", "acme/chat", null, "connection", 30_000, false));
  }
}
