package dev.switchboard.domain.ledger;

import dev.switchboard.domain.DataAccessException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settles off the request's thread with group commit. Without a journal, one writer thread drains
 * what requests hand over and writes it to the database in batches, one transaction (and one
 * synchronous commit) per batch, and each submission's future completes once its batch is
 * committed. With a {@link SettlementJournal}, a journal thread first appends each batch to the
 * instance's disk and flushes it (one flush per batch), completing the futures then, and the
 * database writer follows behind it in batches of its own: a request holds back the end of its
 * answer until its billing is durable, on local disk or in the database, without holding a thread,
 * and without waiting for a database transaction on the answer's path. Readers that must see their
 * own requests' spend (balance, generation look-ups) call {@link #awaitSettled}, which waits for
 * the database; closing drains everything, so nothing is lost on a clean shutdown.
 *
 * <p>The database may not fall behind the journal without bound: past {@link #MAX_UNWRITTEN}
 * settlements, answers wait for it to catch up (see {@link #keepPaceWithDatabase}).
 */
public final class SettlementQueue implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SettlementQueue.class.getName());
  private static final int MAX_BATCH = 256;
  private static final long NOT_JOURNALED = -1;

  /**
   * A settlement on its way: the future its durability completes (none for one replayed from the
   * journal), and the journal segment that holds it ({@link #NOT_JOURNALED} before, or without).
   */
  private record Queued(Settlement settlement, CompletableFuture<Void> durable, long segment) {
    Queued journaled(long inSegment) {
      return new Queued(settlement, durable, inSegment);
    }
  }

  // markers (records: told apart by their segment)
  private static final Queued STOP = new Queued(null, null, -2);
  // wakes the database writer from its wait for more: a reader wants everything written now
  private static final Queued FLUSH = new Queued(null, null, -3);

  /**
   * With a journal, how long the database writer waits for more settlements to join a batch that is
   * not full: nobody waits for the database (answers wait for the journal, readers flush), so a
   * batch may gather what a few requests bring instead of costing a transaction each.
   */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * How many journaled settlements the database may lag behind before answers wait for it: at any
   * rate the database keeps up with it holds a few dozen; a closed loop of requests on one core
   * outruns it (the database writer gets one thread's share of the core), and without a bound the
   * lag, and the memory it holds, grew by thousands a second.
   */
  static final long MAX_UNWRITTEN = 4096;

  /** How long the database may make no progress at all before answers stop waiting for it. */
  private static final Duration STALLED = Duration.ofSeconds(1);

  private final SettlementBook book;
  private final SettlementJournal journal;
  private final long stalledNanos;
  // submissions on their way to the journal (with one), and settlements on their way to the
  // database
  private final BlockingQueue<Queued> toJournal = new LinkedBlockingQueue<>();
  private final BlockingQueue<Queued> toDatabase = new LinkedBlockingQueue<>();
  private final Thread journalWriter;
  private final Thread databaseWriter;
  private final Object progress = new Object();
  private long submitted;
  // settlements handed to the database writer by the journal (or the replay), and written by it
  private long handed;
  private long written;
  private volatile boolean closed;

  /** Settlements durable once the database has committed them. */
  public SettlementQueue(SettlementBook book) {
    this(book, null);
  }

  /**
   * Settlements durable once {@code journal} has flushed them (or the database committed them,
   * should the journal fail to write); call {@link #replayJournal} before taking requests.
   */
  public SettlementQueue(SettlementBook book, SettlementJournal journal) {
    this(book, journal, STALLED);
  }

  /**
   * @param stalled how long the database may make no progress before answers stop waiting for it to
   *     catch up with the journal
   */
  SettlementQueue(SettlementBook book, SettlementJournal journal, Duration stalled) {
    this.book = book;
    this.journal = journal;
    this.stalledNanos = stalled.toNanos();
    this.databaseWriter =
        new Thread(this::writeToDatabaseUntilStopped, "switchboard-settlement-writer");
    this.databaseWriter.setDaemon(true);
    this.databaseWriter.start();
    if (journal == null) {
      this.journalWriter = null;
    } else {
      this.journalWriter =
          new Thread(this::writeToJournalUntilStopped, "switchboard-settlement-journal");
      this.journalWriter.setDaemon(true);
      this.journalWriter.start();
    }
  }

  /**
   * Hands a settlement to the writers. The future completes when it is durable, or exceptionally
   * when it could not be written (an error retrying cannot fix, logged as SEVERE); while the
   * database is unreachable and there is no journal it stays pending and the write is retried.
   */
  public CompletableFuture<Void> submit(Settlement settlement) {
    if (closed) {
      // after shutdown began, write directly rather than drop
      book.settle(List.of(settlement));
      return CompletableFuture.completedFuture(null);
    }
    Queued queued = new Queued(settlement, new CompletableFuture<>(), NOT_JOURNALED);
    synchronized (progress) {
      submitted++;
    }
    (journal == null ? toDatabase : toJournal).add(queued);
    return queued.durable();
  }

  /**
   * Writes to the database what the journal held when it was opened (what a crash may have kept
   * from it), waiting at most {@code timeout}; returns how many settlements that was.
   *
   * @throws IllegalStateException when they are not all written within {@code timeout}: balances
   *     and limits would not count them yet, so the instance must not serve (they stay in the
   *     journal, and the writer goes on with them)
   */
  public int replayJournal(Duration timeout) {
    if (journal == null || journal.recovered().isEmpty()) {
      return 0;
    }
    List<SettlementJournal.Recovered> recovered = journal.recovered();
    synchronized (progress) {
      submitted += recovered.size();
      handed += recovered.size();
    }
    for (SettlementJournal.Recovered entry : recovered) {
      toDatabase.add(new Queued(entry.settlement(), null, entry.segment()));
    }
    if (!awaitSettled(timeout)) {
      throw new IllegalStateException(
          "the "
              + recovered.size()
              + " settlements the journal held were not all written to the database within "
              + timeout);
    }
    return recovered.size();
  }

  /**
   * Waits until every settlement submitted before this call is in the database, or the timeout
   * passes.
   */
  public boolean awaitSettled(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      long target = submitted;
      if (journal != null && written < target) {
        toDatabase.add(FLUSH);
      }
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

  private void writeToJournalUntilStopped() {
    List<Queued> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      if (!takeBatch(toJournal, batch)) {
        return;
      }
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        journal(batch);
      }
      if (stopping) {
        toDatabase.add(STOP);
      }
      batch.clear();
    }
  }

  private void journal(List<Queued> batch) {
    long segment;
    try {
      segment = journal.append(batch.stream().map(Queued::settlement).toList());
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "the settlement journal could not be written: these settlements are durable once the"
              + " database has them",
          e);
      synchronized (progress) {
        handed += batch.size();
      }
      toDatabase.addAll(batch);
      return;
    }
    for (Queued queued : batch) {
      toDatabase.add(queued.journaled(segment));
    }
    keepPaceWithDatabase(batch.size());
    for (Queued queued : batch) {
      queued.durable().complete(null);
    }
  }

  /**
   * Counts {@code count} more settlements handed to the database writer and, should it be more than
   * {@link #MAX_UNWRITTEN} behind, waits (holding these answers back, and with them the clients
   * that would send more) until it is half that, so that what is answered is what the database
   * absorbs. Not while the database makes no progress at all (unreachable): then the journal alone
   * keeps the settlements durable, and answers go on.
   */
  private void keepPaceWithDatabase(int count) {
    synchronized (progress) {
      handed += count;
      if (handed - written <= MAX_UNWRITTEN) {
        return;
      }
      long seen = written;
      long progressAt = System.nanoTime();
      while (handed - written > MAX_UNWRITTEN / 2) {
        long now = System.nanoTime();
        if (written != seen) {
          seen = written;
          progressAt = now;
        } else if (now - progressAt >= stalledNanos) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, stalledNanos - (now - progressAt));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Settlements submitted and not yet in the database (journaled or on their way). */
  public long unwritten() {
    synchronized (progress) {
      return submitted - written;
    }
  }

  private void writeToDatabaseUntilStopped() {
    List<Queued> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      if (!takeBatch(toDatabase, batch) || journal != null && !gatherMore(batch)) {
        return;
      }
      batch.removeIf(queued -> queued == FLUSH);
      stopping = batch.remove(STOP);
      write(batch);
      synchronized (progress) {
        written += batch.size();
        progress.notifyAll();
      }
      batch.clear();
      if (journal != null && !stopping) {
        prepareSpareSegment();
      }
    }
  }

  private void prepareSpareSegment() {
    try {
      journal.prepareSpare();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "the next settlement journal segment could not be prepared: the journal makes it when"
              + " it needs it",
          e);
    }
  }

  /**
   * Adds to {@code batch} what arrives within {@link #LINGER_NANOS}, until it is full or a flush or
   * the stop is asked for; false when interrupted.
   */
  private boolean gatherMore(List<Queued> batch) {
    long deadline = System.nanoTime() + LINGER_NANOS;
    while (batch.size() < MAX_BATCH && !batch.contains(FLUSH) && !batch.contains(STOP)) {
      long left = deadline - System.nanoTime();
      Queued next;
      try {
        next = left > 0 ? toDatabase.poll(left, TimeUnit.NANOSECONDS) : null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (next == null) {
        return true;
      }
      batch.add(next);
      toDatabase.drainTo(batch, MAX_BATCH - batch.size());
    }
    return true;
  }

  /** Waits for one element, then takes what else is there; false when interrupted. */
  private static boolean takeBatch(BlockingQueue<Queued> queue, List<Queued> batch) {
    try {
      batch.add(queue.take());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    queue.drainTo(batch, MAX_BATCH - 1);
    return true;
  }

  private void write(List<Queued> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      book.settle(batch.stream().map(Queued::settlement).toList());
      for (Queued queued : batch) {
        written(queued, null);
      }
    } catch (RuntimeException batchFailure) {
      // one bad settlement must not take the others with it: write them one by one
      for (Queued queued : batch) {
        boolean settled = writeWithRetries(queued.settlement());
        written(queued, settled ? null : batchFailure);
      }
    }
    countInJournal(batch);
  }

  /**
   * A settlement is in the database (or failed for good): its future completes, unless the journal
   * completed it already.
   */
  private static void written(Queued queued, RuntimeException failure) {
    if (queued.segment() != NOT_JOURNALED) {
      return;
    }
    if (failure == null) {
      queued.durable().complete(null);
    } else {
      queued.durable().completeExceptionally(failure);
    }
  }

  /** Tells the journal which of its settlements the database has now, segment by segment. */
  private void countInJournal(List<Queued> batch) {
    Map<Long, Integer> bySegment = new TreeMap<>();
    for (Queued queued : batch) {
      if (queued.segment() != NOT_JOURNALED) {
        bySegment.merge(queued.segment(), 1, Integer::sum);
      }
    }
    for (Map.Entry<Long, Integer> segment : bySegment.entrySet()) {
      try {
        journal.written(segment.getKey(), segment.getValue());
      } catch (IOException e) {
        LOG.log(Level.WARNING, "a written settlement journal segment could not be deleted", e);
      }
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

  /** Writes everything submitted so far, then stops the writers and closes the journal. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (journal == null) {
      toDatabase.add(STOP);
    } else {
      toJournal.add(STOP); // the journal writer hands it on to the database writer
    }
    try {
      if (journalWriter != null) {
        journalWriter.join(TimeUnit.SECONDS.toMillis(30));
      }
      databaseWriter.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "the settlement journal could not be closed", e);
      }
    }
  }
}
