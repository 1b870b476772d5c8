package dev.switchboard.domain.ledger;

import dev.switchboard.domain.DataAccessException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settles off the request's path: one writer thread drains what requests hand over and writes it in
 * batches, one transaction (and one synchronous commit) per batch instead of per request. Readers
 * that must see their own requests' spend (balance, generation look-ups) call {@link
 * #awaitSettled}; closing drains everything, so nothing is lost on a clean shutdown.
 */
public final class SettlementQueue implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SettlementQueue.class.getName());
  private static final int MAX_BATCH = 256;
  private static final Settlement STOP = new Settlement(null, null, null, null, null, false);

  private final SettlementBook book;
  private final BlockingQueue<Settlement> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Object progress = new Object();
  private long submitted;
  private long written;
  private volatile boolean closed;

  public SettlementQueue(SettlementBook book) {
    this.book = book;
    this.writer = new Thread(this::writeUntilStopped, "switchboard-settlement-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  public void submit(Settlement settlement) {
    if (closed) {
      // after shutdown began, write directly rather than drop
      book.settle(List.of(settlement));
      return;
    }
    synchronized (progress) {
      submitted++;
    }
    queue.add(settlement);
  }

  /** Waits until every settlement submitted before this call is written, or the timeout passes. */
  public boolean awaitSettled(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      long target = submitted;
      while (written < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void writeUntilStopped() {
    List<Settlement> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stopping = batch.remove(STOP);
      write(batch);
      synchronized (progress) {
        written += batch.size();
        progress.notifyAll();
      }
      batch.clear();
    }
  }

  private void write(List<Settlement> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      book.settle(batch);
    } catch (RuntimeException batchFailure) {
      // one bad settlement must not take the others with it: write them one by one
      for (Settlement settlement : batch) {
        writeWithRetries(settlement);
      }
    }
  }

  /**
   * Retries while the database is unreachable or the transaction lost a race (it will come back,
   * and the spend must not be lost); gives up only on an error that retrying cannot fix, which is a
   * bug.
   */
  private void writeWithRetries(Settlement settlement) {
    long backoffMillis = 50;
    while (true) {
      try {
        book.settle(List.of(settlement));
        return;
      } catch (RuntimeException e) {
        if (!isTransient(e) || closed && backoffMillis >= 2_000) {
          LOG.log(
              Level.SEVERE,
              "settlement for lease "
                  + settlement.leaseId()
                  + (settlement.generation() == null
                      ? ""
                      : " (generation " + settlement.generation().id() + ")")
                  + " could not be written",
              e);
          return;
        }
        try {
          Thread.sleep(backoffMillis); // backing off from a failing database, not synchronisation
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, 2_000);
      }
    }
  }

  private static boolean isTransient(RuntimeException e) {
    if (!(e instanceof DataAccessException dataAccess) || dataAccess.sqlState() == null) {
      return false;
    }
    String state = dataAccess.sqlState();
    // connection exceptions, serialization failure / deadlock, operator intervention (restart)
    return state.startsWith("08") || state.startsWith("40") || state.startsWith("57");
  }

  /** Writes everything submitted so far, then stops the writer. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
