package dev.switchboard.domain.ledger;

import dev.switchboard.domain.DataAccessException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settles off the request's thread with group commit: one writer thread drains what requests hand
 * over and writes it in batches, one transaction (and one synchronous commit) per batch instead of
 * per request. Each submission's future completes once its batch is committed, so a request can
 * hold back the end of its answer until its billing is durable without holding a thread. Readers
 * that must see their own requests' spend (balance, generation look-ups) call {@link
 * #awaitSettled}; closing drains everything, so nothing is lost on a clean shutdown.
 */
public final class SettlementQueue implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SettlementQueue.class.getName());
  private static final int MAX_BATCH = 256;

  /** A settlement waiting for its batch, and the future its commit completes. */
  private record Queued(Settlement settlement, CompletableFuture<Void> durable) {}

  private static final Queued STOP = new Queued(null, null);

  private final SettlementBook book;
  private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
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

  /**
   * Hands a settlement to the writer. The future completes when it is committed, or exceptionally
   * when it could not be written (an error retrying cannot fix, logged as SEVERE); while the
   * database is unreachable it stays pending and the write is retried.
   */
  public CompletableFuture<Void> submit(Settlement settlement) {
    if (closed) {
      // after shutdown began, write directly rather than drop
      book.settle(List.of(settlement));
      return CompletableFuture.completedFuture(null);
    }
    Queued queued = new Queued(settlement, new CompletableFuture<>());
    synchronized (progress) {
      submitted++;
    }
    queue.add(queued);
    return queued.durable();
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
    List<Queued> batch = new ArrayList<>(MAX_BATCH);
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

  private void write(List<Queued> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      book.settle(batch.stream().map(Queued::settlement).toList());
    } catch (RuntimeException batchFailure) {
      // one bad settlement must not take the others with it: write them one by one
      for (Queued queued : batch) {
        if (writeWithRetries(queued.settlement())) {
          queued.durable().complete(null);
        } else {
          queued.durable().completeExceptionally(batchFailure);
        }
      }
      return;
    }
    for (Queued queued : batch) {
      queued.durable().complete(null);
    }
  }

  /**
   * Retries while the database is unreachable or the transaction lost a race (it will come back,
   * and the spend must not be lost); gives up only on an error that retrying cannot fix, which is a
   * bug.
   */
  private boolean writeWithRetries(Settlement settlement) {
    long backoffMillis = 50;
    while (true) {
      try {
        book.settle(List.of(settlement));
        return true;
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
          return false;
        }
        try {
          Thread.sleep(backoffMillis); // backing off from a failing database, not synchronisation
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
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
