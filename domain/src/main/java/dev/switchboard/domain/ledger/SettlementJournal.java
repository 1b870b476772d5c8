package dev.switchboard.domain.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Settlements made durable on the instance's own disk before the database has them, so that an
 * answer waits for one local write and flush (group-committed by {@link SettlementQueue}) instead
 * of a database transaction, and a crash between the answer and the database write loses nothing:
 * what the journal holds when it is opened again is written to the database before the instance
 * serves ({@link SettlementQueue#replayJournal}). Writing a settlement twice counts it once (the
 * debit is keyed by its generation id, a lease already returned is left alone), so replaying
 * settlements that did reach the database is harmless.
 *
 * <p>The journal is a directory of segments ({@code settlements-<n>.journal}); each record is its
 * length, its CRC-32C and the settlement as JSON. A record cut short by a crash ends a segment's
 * reading. A segment is deleted once every settlement in it is in the database and a newer one
 * takes the appends. The directory is locked while open: two instances must not share one.
 *
 * <p>A segment is written whole with zeros and flushed before it takes appends (as PostgreSQL does
 * with its WAL segments), so that an append's flush writes only the appended data: a file that grew
 * would need its size written too, a second write to the disk on every flush. The zeros end the
 * reading (no record has length 0). The next segment is made ready off the answers' path ({@link
 * #prepareSpare}), so that starting a segment is a rename.
 */
public final class SettlementJournal implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SettlementJournal.class.getName());
  static final long SEGMENT_BYTES = 1 << 20;
  private static final int HEADER_BYTES = 8;
  private static final String PREFIX = "settlements-";
  private static final String SUFFIX = ".journal";
  private static final String SPARE = "settlements.spare";
  private static final String SPARE_IN_PROGRESS = "settlements.spare.partial";
  private static final int ZEROS_BYTES = 64 * 1024;

  /** A settlement read back from a segment. */
  public record Recovered(Settlement settlement, long segment) {}

  private final ObjectMapper json =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          // the records' components only, not derived is-getters such as Credits.isZero
          .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
  private final Path directory;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final List<Recovered> recovered;
  // segment number -> settlements in it that are not in the database yet
  private final Map<Long, Integer> unwritten = new TreeMap<>();
  private FileChannel current;
  private long currentSegment;
  private long currentBytes;
  // the last append failed: the next one starts a new segment
  private boolean failed;
  // a zeroed, flushed file waits under SPARE to become the next segment
  private boolean spareReady;

  private SettlementJournal(Path directory, FileChannel lockFile, FileLock lock)
      throws IOException {
    this.directory = directory;
    this.lockFile = lockFile;
    this.lock = lock;
    // a spare left by an earlier run may have been cut short while it was zeroed: made again
    Files.deleteIfExists(directory.resolve(SPARE));
    Files.deleteIfExists(directory.resolve(SPARE_IN_PROGRESS));
    this.recovered = readSegments();
    for (Recovered entry : recovered) {
      unwritten.merge(entry.segment(), 1, Integer::sum);
    }
    currentSegment = unwritten.keySet().stream().mapToLong(n -> n).max().orElse(0) + 1;
    for (Long segment : List.copyOf(unwritten.keySet())) {
      deleteIfWritten(segment); // segments with nothing to replay
    }
    openSegment();
  }

  /**
   * Opens the journal in {@code directory} (made if missing) and reads what it holds; fails when
   * another process has it open.
   */
  public static SettlementJournal open(Path directory) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockFile =
        FileChannel.open(
            directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockFile.tryLock();
    if (lock == null) {
      lockFile.close();
      throw new IOException(
          "the settlement journal "
              + directory
              + " is in use by another process: each instance needs its own data directory");
    }
    try {
      return new SettlementJournal(directory, lockFile, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockFile.close();
      throw e;
    }
  }

  /** The settlements the journal held when it was opened, in the order they were written. */
  public List<Recovered> recovered() {
    return recovered;
  }

  /**
   * Writes settlements and flushes them to the disk; returns the segment that holds them. Called
   * from one thread at a time. When it throws, the settlements are not in the journal (whatever of
   * them reached the file is at most replayed, which counts once).
   */
  public long append(List<Settlement> settlements) throws IOException {
    List<byte[]> records = new ArrayList<>(settlements.size());
    int bytes = 0;
    for (Settlement settlement : settlements) {
      byte[] record = json.writeValueAsBytes(settlement);
      records.add(record);
      bytes += HEADER_BYTES + record.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    CRC32C crc = new CRC32C();
    for (byte[] record : records) {
      crc.reset();
      crc.update(record);
      buffer.putInt(record.length).putInt((int) crc.getValue()).put(record);
    }
    buffer.flip();
    long segment;
    FileChannel channel;
    long position;
    synchronized (this) {
      if (currentBytes > 0 && currentBytes + bytes > SEGMENT_BYTES || failed) {
        current.close();
        deleteIfWritten(currentSegment);
        currentSegment++;
        openSegment();
        failed = false;
      }
      segment = currentSegment;
      channel = current;
      unwritten.merge(segment, settlements.size(), Integer::sum);
      position = currentBytes;
      currentBytes += bytes;
    }
    try {
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      channel.force(false);
    } catch (IOException e) {
      // the caller makes these durable another way; what follows goes to a new segment, never after
      // a record that may be cut short (reading a segment stops there) or whose flush failed
      synchronized (this) {
        unwritten.merge(segment, -settlements.size(), Integer::sum);
        failed = true;
      }
      throw e;
    }
    return segment;
  }

  /**
   * Makes the next segment ready (written with zeros and flushed) unless it is: called off the
   * answers' path, by the thread that writes to the database. Should the appends need it first,
   * they make their own.
   */
  public void prepareSpare() throws IOException {
    synchronized (this) {
      if (spareReady) {
        return;
      }
    }
    Path partial = directory.resolve(SPARE_IN_PROGRESS);
    zeroFilled(partial);
    synchronized (this) {
      Files.move(partial, directory.resolve(SPARE), StandardCopyOption.ATOMIC_MOVE);
      spareReady = true;
    }
  }

  /** Counts settlements of {@code segment} as written to the database. */
  public synchronized void written(long segment, int count) throws IOException {
    Integer left = unwritten.computeIfPresent(segment, (n, before) -> before - count);
    if (left != null && left <= 0 && segment != currentSegment) {
      deleteIfWritten(segment);
    }
  }

  /** Closes the journal; segments the database holds entirely are deleted. */
  @Override
  public synchronized void close() throws IOException {
    try {
      current.close();
      deleteIfWritten(currentSegment);
      for (Long segment : List.copyOf(unwritten.keySet())) {
        deleteIfWritten(segment);
      }
    } finally {
      lock.release();
      lockFile.close();
    }
  }

  private void deleteIfWritten(long segment) throws IOException {
    if (unwritten.getOrDefault(segment, 0) <= 0) {
      unwritten.remove(segment);
      Files.deleteIfExists(segmentPath(segment));
    }
  }

  private void openSegment() throws IOException {
    Path path = segmentPath(currentSegment);
    if (spareReady) {
      Files.move(directory.resolve(SPARE), path, StandardCopyOption.ATOMIC_MOVE);
      spareReady = false;
    } else {
      zeroFilled(path);
    }
    current = FileChannel.open(path, StandardOpenOption.WRITE);
    currentBytes = 0;
    // the new file's name must survive a crash as surely as what is written to it
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** Creates {@code path} holding {@link #SEGMENT_BYTES} zeros, flushed with its size. */
  private static void zeroFilled(Path path) throws IOException {
    try (FileChannel file =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(ZEROS_BYTES);
      for (long written = 0; written < SEGMENT_BYTES; ) {
        zeros.clear();
        written += file.write(zeros, written);
      }
      file.force(true);
    }
  }

  private Path segmentPath(long segment) {
    return directory.resolve(String.format("%s%020d%s", PREFIX, segment, SUFFIX));
  }

  private List<Recovered> readSegments() throws IOException {
    List<Long> segments;
    try (Stream<Path> files = Files.list(directory)) {
      segments =
          files
              .map(path -> path.getFileName().toString())
              .filter(name -> name.startsWith(PREFIX) && name.endsWith(SUFFIX))
              .map(
                  name ->
                      Long.parseLong(name, PREFIX.length(), name.length() - SUFFIX.length(), 10))
              .sorted()
              .toList();
    }
    List<Recovered> found = new ArrayList<>();
    for (long segment : segments) {
      ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segmentPath(segment)));
      CRC32C crc = new CRC32C();
      while (data.remaining() >= HEADER_BYTES) {
        data.mark();
        int length = data.getInt();
        int checksum = data.getInt();
        if (length <= 0 || length > data.remaining()) {
          data.reset();
          break;
        }
        byte[] record = new byte[length];
        data.get(record);
        crc.reset();
        crc.update(record);
        if ((int) crc.getValue() != checksum) {
          data.reset();
          break;
        }
        found.add(new Recovered(json.readValue(record, Settlement.class), segment));
      }
      int tail = data.remaining();
      if (!onlyZeros(data)) {
        LOG.log(
            Level.WARNING,
            "settlement journal segment {0}: {1} bytes at its end are not a whole record (cut by"
                + " a crash before they were flushed, so no answer waited for them); ignored",
            new Object[] {segment, tail});
      }
      unwritten.putIfAbsent(segment, 0);
    }
    return found;
  }

  /** Whether what is left of {@code data} is the zeros a segment was made with. */
  private static boolean onlyZeros(ByteBuffer data) {
    while (data.hasRemaining()) {
      if (data.get() != 0) {
        return false;
      }
    }
    return true;
  }
}
