package dev.switchboard.domain.routing.health;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One endpoint's circuit breaker. Closed, it counts failures: {@link
 * BreakerPolicy#consecutiveFailures} in a row, or a {@link BreakerPolicy#failureRate} over at least
 * {@link BreakerPolicy#minimumRequests} in the current rate window, open it. Open, it refuses
 * traffic ({@link #allows()} is false) until the cool-down has passed; then it is half-open and
 * lets {@link BreakerPolicy#halfOpenProbes} requests through per cool-down (so a probe whose answer
 * never comes does not keep it half-open for ever). A success while half-open closes it; a failure
 * opens it again for another cool-down.
 *
 * <p>Lock-free: the state is an immutable phase swapped by compare-and-set, the counters are
 * atomics. A success while closed with no failure pending writes only the window's request count.
 */
public final class CircuitBreaker {

  /** The state, since when (epoch millis), and the probes let through since then. */
  private record Phase(BreakerState state, long sinceMillis, int probes) {}

  private final BreakerPolicy policy;
  private final Clock clock;
  private final AtomicReference<Phase> phase;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong windowStart;
  private final AtomicInteger windowRequests = new AtomicInteger();
  private final AtomicInteger windowFailures = new AtomicInteger();

  public CircuitBreaker(BreakerPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
    long now = clock.millis();
    this.phase = new AtomicReference<>(new Phase(BreakerState.CLOSED, now, 0));
    this.windowStart = new AtomicLong(now);
  }

  public BreakerState state() {
    return current(clock.millis()).state();
  }

  /**
   * Whether a request may be sent to the endpoint now. While half-open, each true answer uses up
   * one of the probes.
   */
  public boolean allows() {
    long now = clock.millis();
    while (true) {
      Phase seen = current(now);
      switch (seen.state()) {
        case CLOSED:
          return true;
        case OPEN:
          return false;
        default:
          Phase next;
          if (seen.probes() < policy.halfOpenProbes()) {
            next = new Phase(BreakerState.HALF_OPEN, seen.sinceMillis(), seen.probes() + 1);
          } else if (now - seen.sinceMillis() >= policy.coolDown().toMillis()) {
            // the probes' answers never came: let new ones through
            next = new Phase(BreakerState.HALF_OPEN, now, 1);
          } else {
            return false;
          }
          if (phase.compareAndSet(seen, next)) {
            return true;
          }
      }
    }
  }

  /** An attempt to the endpoint succeeded. */
  public void onSuccess() {
    long now = clock.millis();
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    countInWindow(now, false);
    Phase seen = current(now);
    if (seen.state() == BreakerState.HALF_OPEN
        && phase.compareAndSet(seen, new Phase(BreakerState.CLOSED, now, 0))) {
      restartWindow(now);
    }
  }

  /** An attempt to the endpoint failed in a way that says something about the endpoint. */
  public void onFailure() {
    long now = clock.millis();
    int inARow = consecutiveFailures.incrementAndGet();
    boolean rateTripped = countInWindow(now, true);
    while (true) {
      Phase seen = current(now);
      boolean opens =
          switch (seen.state()) {
            case HALF_OPEN -> true;
            case CLOSED -> inARow >= policy.consecutiveFailures() || rateTripped;
            case OPEN -> false;
          };
      if (!opens || phase.compareAndSet(seen, new Phase(BreakerState.OPEN, now, 0))) {
        return;
      }
    }
  }

  /** The phase at {@code now}: an open breaker whose cool-down has passed becomes half-open. */
  private Phase current(long now) {
    while (true) {
      Phase seen = phase.get();
      if (seen.state() != BreakerState.OPEN
          || now - seen.sinceMillis() < policy.coolDown().toMillis()) {
        return seen;
      }
      Phase halfOpen = new Phase(BreakerState.HALF_OPEN, now, 0);
      if (phase.compareAndSet(seen, halfOpen)) {
        return halfOpen;
      }
    }
  }

  /** Counts one outcome in the rate window; true when the window's failure rate trips. */
  private boolean countInWindow(long now, boolean failed) {
    long start = windowStart.get();
    if (now - start >= policy.rateWindow().toMillis() && windowStart.compareAndSet(start, now)) {
      windowRequests.set(0);
      windowFailures.set(0);
    }
    int requests = windowRequests.incrementAndGet();
    int failures = failed ? windowFailures.incrementAndGet() : windowFailures.get();
    return requests >= policy.minimumRequests() && failures >= policy.failureRate() * requests;
  }

  /** A closed breaker starts counting afresh: the failures that opened it are behind it. */
  private void restartWindow(long now) {
    windowStart.set(now);
    windowRequests.set(0);
    windowFailures.set(0);
    consecutiveFailures.set(0);
  }
}
