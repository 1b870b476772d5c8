package dev.switchboard.api.provider;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Timeouts of requests in flight, checked together by one thread every {@code tick}, instead of a
 * timer task each. Setting one is a set insertion and cancelling it a removal, with no thread
 * woken: a scheduled executor wakes its thread whenever a new task becomes its earliest, which with
 * a few requests in flight is nearly every request (two wake-ups of the JDK's delay scheduler per
 * request, measured). A deadline fires within one tick after it is due: for timeouts of seconds.
 */
public final class Deadlines implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Deadlines.class.getName());

  /** A deadline set; cancel it when what it guards is done. */
  public interface Deadline {
    void cancel();
  }

  private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker;

  /**
   * @param threadName the name of the thread that checks the deadlines
   * @param tick how often they are checked
   */
  public Deadlines(String threadName, Duration tick) {
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        this::expire, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code onExpiry} on the checking thread once {@code after} has passed, unless cancelled.
   */
  public Deadline after(Duration after, Runnable onExpiry) {
    Pending deadline = new Pending(System.nanoTime() + after.toNanos(), onExpiry);
    pending.add(deadline);
    return deadline;
  }

  /** How many deadlines are set and neither due nor cancelled yet. */
  int pending() {
    return pending.size();
  }

  private void expire() {
    long now = System.nanoTime();
    for (Pending deadline : pending) {
      if (now - deadline.dueNanos >= 0 && pending.remove(deadline)) {
        try {
          deadline.onExpiry.run();
        } catch (RuntimeException e) {
          LOG.log(Level.SEVERE, "a timeout's action failed", e);
        }
      }
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }

  // identity equality: each deadline is its own entry
  private final class Pending implements Deadline {
    private final long dueNanos;
    private final Runnable onExpiry;

    Pending(long dueNanos, Runnable onExpiry) {
      this.dueNanos = dueNanos;
      this.onExpiry = onExpiry;
    }

    @Override
    public void cancel() {
      pending.remove(this);
    }
  }
}
