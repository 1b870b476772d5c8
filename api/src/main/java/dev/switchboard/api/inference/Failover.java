package dev.switchboard.api.inference;

import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.domain.usage.ProviderResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The failover loop of one request: which candidate each attempt goes to and what follows a failed
 * one. A retryable failure before anything reached the client moves on to the next candidate at
 * once; at the last candidate, one that said when to come back ({@code Retry-After}) is tried again
 * then, if that is before the deadline. Never more than {@link Limits#maxAttempts} attempts in all,
 * nor {@link #MAX_TRIES_PER_CANDIDATE} at one candidate, nor an attempt started after the deadline.
 * Every failed attempt is kept for {@code /generation}.
 *
 * <p>Not thread-safe: its exchange calls it under its own monitor.
 */
final class Failover {

  /** The most attempts at one candidate (waiting for its Retry-After in between). */
  static final int MAX_TRIES_PER_CANDIDATE = 3;

  /**
   * How many attempts a request may make and how long after it arrived the last may start.
   *
   * @param maxAttempts at least one
   * @param deadline positive
   */
  record Limits(int maxAttempts, Duration deadline) {
    Limits {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "SWITCHBOARD_FAILOVER_MAX_ATTEMPTS must be at least 1, got " + maxAttempts);
      }
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException(
            "SWITCHBOARD_FAILOVER_DEADLINE_SECONDS must be positive, got " + deadline.toSeconds());
      }
    }
  }

  /** What follows a failed attempt. */
  sealed interface Next {
    /** Try the next candidate now. */
    record NextCandidate() implements Next {}

    /** Try the same candidate again after {@code delay}. */
    record SameAfter(Duration delay) implements Next {}

    /** No more attempts: the failure is the request's answer. */
    record GiveUp() implements Next {}
  }

  private static final Next NEXT_CANDIDATE = new Next.NextCandidate();
  private static final Next GIVE_UP = new Next.GiveUp();

  private final List<Candidate> candidates;
  private final Limits limits;
  private final LongSupplier nanoTime;
  private final long deadlineNanos;
  private final int[] tries;
  private final List<ProviderResponse> failed = new ArrayList<>(0);
  private int index = -1;
  private int attempts;
  private long attemptStartNanos;

  Failover(List<Candidate> candidates, Limits limits, long startNanos, LongSupplier nanoTime) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a request needs at least one candidate");
    }
    this.candidates = List.copyOf(candidates);
    this.limits = limits;
    this.nanoTime = nanoTime;
    this.deadlineNanos = startNanos + limits.deadline().toNanos();
    this.tries = new int[candidates.size()];
  }

  /** Starts an attempt at the next candidate (the first, the first time). */
  Candidate advance() {
    index++;
    return begin();
  }

  /** Starts another attempt at the current candidate. */
  Candidate again() {
    return begin();
  }

  private Candidate begin() {
    attempts++;
    tries[index]++;
    attemptStartNanos = nanoTime.getAsLong();
    return current();
  }

  Candidate current() {
    return candidates.get(index);
  }

  /** The current attempt's number, from 1: callbacks of an earlier attempt carry a smaller one. */
  int attempt() {
    return attempts;
  }

  long attemptStartNanos() {
    return attemptStartNanos;
  }

  /**
   * Records that the current attempt failed and says what follows.
   *
   * @param mayRetry false once anything reached the client, or when the client is gone
   */
  Next failed(ProviderError error, boolean mayRetry) {
    Candidate candidate = current();
    failed.add(
        new ProviderResponse(
            candidate.provider().slug(),
            candidate.model().id(),
            error.upstreamStatus() > 0 ? error.upstreamStatus() : null,
            error.kind().name().toLowerCase(Locale.ROOT),
            attemptMillis(),
            candidate.byok()));
    long left = deadlineNanos - nanoTime.getAsLong();
    if (!mayRetry || !error.retryable() || attempts >= limits.maxAttempts() || left <= 0) {
      return GIVE_UP;
    }
    if (index + 1 < candidates.size()) {
      return NEXT_CANDIDATE;
    }
    Duration wait = error.retryAfter();
    if (wait != null && wait.toNanos() < left && tries[index] < MAX_TRIES_PER_CANDIDATE) {
      return new Next.SameAfter(wait);
    }
    return GIVE_UP;
  }

  /**
   * Every attempt in order, ending with the current one, which answered; empty when it was the
   * first (the generation itself says everything about it).
   */
  List<ProviderResponse> responsesAnsweredByCurrent() {
    if (failed.isEmpty()) {
      return List.of();
    }
    Candidate candidate = current();
    List<ProviderResponse> all = new ArrayList<>(failed.size() + 1);
    all.addAll(failed);
    all.add(
        new ProviderResponse(
            candidate.provider().slug(),
            candidate.model().id(),
            200,
            null,
            attemptMillis(),
            candidate.byok()));
    return all;
  }

  private long attemptMillis() {
    return Duration.ofNanos(nanoTime.getAsLong() - attemptStartNanos).toMillis();
  }
}
