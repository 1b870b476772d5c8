package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.ProviderResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlementJournalTest {

  @TempDir Path directory;

  @Test
  void whatWasAppendedAndNotWrittenIsReadBackWholeAndInOrder() throws IOException {
    List<Settlement> appended = new ArrayList<>();
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      for (int batch = 0; batch < 3; batch++) {
        List<Settlement> settlements = List.of(debit(batch * 2), debit(batch * 2 + 1), returned());
        journal.append(settlements);
        appended.addAll(settlements);
      }
    }

    try (SettlementJournal reopened = SettlementJournal.open(directory)) {
      assertThat(reopened.recovered())
          .extracting(SettlementJournal.Recovered::settlement)
          .containsExactlyElementsOf(appended);
    }
  }

  @Test
  void settlementsTheDatabaseHasAreNotReadBack() throws IOException {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      long segment = journal.append(List.of(debit(1), debit(2)));
      journal.written(segment, 2);
    }

    try (SettlementJournal reopened = SettlementJournal.open(directory)) {
      assertThat(reopened.recovered()).isEmpty();
    }
    assertThat(segments()).isEmpty();
  }

  @Test
  void aRecordCutShortByACrashEndsTheReadingAndTheRecordsBeforeItAreKept() throws IOException {
    Settlement whole = debit(1);
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      journal.append(List.of(whole));
      journal.append(List.of(debit(2)));
    }
    // the last record's end never reached the disk: the segment's zeros are still there
    Path segment = segments().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    int end = endOfRecords(bytes);
    java.util.Arrays.fill(bytes, end - 10, end, (byte) 0);
    Files.write(segment, bytes, StandardOpenOption.TRUNCATE_EXISTING);

    try (SettlementJournal reopened = SettlementJournal.open(directory)) {
      assertThat(reopened.recovered())
          .extracting(SettlementJournal.Recovered::settlement)
          .containsExactly(whole);
    }
  }

  @Test
  void aRecordWhoseChecksumDoesNotMatchIsNotReplayed() throws IOException {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      journal.append(List.of(debit(1)));
    }
    Path segment = segments().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    bytes[endOfRecords(bytes) - 3] ^= 0x20;
    Files.write(segment, bytes, StandardOpenOption.TRUNCATE_EXISTING);

    try (SettlementJournal reopened = SettlementJournal.open(directory)) {
      assertThat(reopened.recovered()).isEmpty();
    }
  }

  @Test
  void aFullSegmentGivesWayToANewOneAndIsDeletedOnceWritten() throws IOException {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      long first = journal.append(List.of(debit(0)));
      int inFirst = 1;
      long next;
      while ((next = journal.append(List.of(debit(inFirst)))) == first) {
        inFirst++;
      }
      assertThat(next).isEqualTo(first + 1);
      assertThat(segments()).hasSize(2);
      // filled to within a record of its end, never past what it was allocated
      Path full = segments().get(0);
      assertThat(Files.size(full)).isEqualTo(SettlementJournal.SEGMENT_BYTES);
      assertThat((long) endOfRecords(Files.readAllBytes(full)))
          .isGreaterThan(SettlementJournal.SEGMENT_BYTES - 1_000);

      journal.written(first, inFirst);

      assertThat(segments()).hasSize(1);
      assertThat(segments().get(0).getFileName().toString()).contains(String.valueOf(next));
    }
  }

  @Test
  void aSegmentIsAllocatedWholeBeforeItTakesAppendsSoAFlushNeverWritesItsSize() throws IOException {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      assertThat(Files.size(segments().get(0))).isEqualTo(SettlementJournal.SEGMENT_BYTES);
      for (int i = 0; i < 20; i++) {
        journal.append(List.of(debit(i), debit(i + 100)));
      }
      assertThat(segments()).hasSize(1);
      assertThat(Files.size(segments().get(0))).isEqualTo(SettlementJournal.SEGMENT_BYTES);
      assertThat(journal.recovered()).isEmpty();
    }
    try (SettlementJournal reopened = SettlementJournal.open(directory)) {
      assertThat(reopened.recovered()).hasSize(40);
    }
  }

  @Test
  void theNextSegmentIsTheSparePreparedAheadOfIt() throws IOException {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      long first = journal.append(List.of(debit(0)));
      journal.prepareSpare();
      Path spare = directory.resolve("settlements.spare");
      assertThat(spare).exists();
      assertThat(Files.size(spare)).isEqualTo(SettlementJournal.SEGMENT_BYTES);
      Object spareFile = Files.readAttributes(spare, BasicFileAttributes.class).fileKey();

      int n = 1;
      long next;
      while ((next = journal.append(List.of(debit(n++)))) == first) {
        // fill the first segment
      }

      assertThat(spare).doesNotExist();
      Path nextSegment = segments().get(1);
      assertThat(nextSegment.getFileName().toString()).contains(String.valueOf(next));
      assertThat(Files.readAttributes(nextSegment, BasicFileAttributes.class).fileKey())
          .isEqualTo(spareFile);
    }
  }

  @Test
  void aSpareLeftByAnEarlierRunIsNotTakenForASegment() throws IOException {
    Files.createDirectories(directory);
    Files.write(directory.resolve("settlements.spare"), new byte[] {1, 2, 3});
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      assertThat(directory.resolve("settlements.spare")).doesNotExist();
      journal.append(List.of(debit(1)));
      journal.prepareSpare();
      assertThat(Files.size(directory.resolve("settlements.spare")))
          .isEqualTo(SettlementJournal.SEGMENT_BYTES);
    }
  }

  @Test
  void twoProcessesCannotShareOneJournal() throws Exception {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      Process other =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  OpenJournal.class.getName(),
                  directory.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(other.getInputStream().readAllBytes());
      assertThat(other.waitFor()).as(output).isEqualTo(3);
      assertThat(output).contains("in use by another process");
    }
  }

  @Test
  void aSecondOpenInTheSameProcessIsRefusedToo() throws IOException {
    try (SettlementJournal journal = SettlementJournal.open(directory)) {
      assertThatThrownBy(() -> SettlementJournal.open(directory))
          .isInstanceOf(java.nio.channels.OverlappingFileLockException.class);
    }
  }

  /** Opens the journal named by its argument; exits 3 with the message when it is refused. */
  public static final class OpenJournal {
    public static void main(String[] args) {
      try (SettlementJournal journal = SettlementJournal.open(Path.of(args[0]))) {
        System.exit(0);
      } catch (IOException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
  }

  /** Where the records end and the segment's zeros begin. */
  private static int endOfRecords(byte[] segment) {
    int end = segment.length;
    while (end > 0 && segment[end - 1] == 0) {
      end--;
    }
    return end;
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.toString().endsWith(".journal")).sorted().toList();
    }
  }

  private static final OrganizationId ORG = new OrganizationId(UUID.randomUUID());
  private static final UUID KEY = UUID.randomUUID();
  private static final UUID LEASE = UUID.randomUUID();

  private static Settlement debit(int n) {
    Credits cost = Credits.ofNanos(1_000_003L + n);
    Generation generation =
        new Generation(
            "gen-" + n + "-" + UUID.randomUUID(),
            ORG,
            KEY,
            "openai/gpt-4o-mini",
            "openai",
            "gpt-4o-mini",
            7,
            new TokenUsage(1_200, 345, 12, 800, 100, 1, 2),
            n % 2 == 0,
            cost,
            Credits.ofNanos(9_000_000),
            n % 3 == 0,
            Credits.ofNanos(5),
            120,
            95,
            n % 2 == 0 ? null : 31L,
            true,
            false,
            "stop",
            "end_turn",
            "chat",
            "https://example.test/app",
            n % 2 == 0 ? null : "An app",
            Instant.parse("2026-12-07T20:15:30.123456789Z"),
            List.of(new ProviderResponse("alpha", "m", 503, "unavailable", 41, false)));
    return new Settlement(LEASE, ORG, KEY, generation, cost, false);
  }

  private static Settlement returned() {
    return Settlement.returned(LEASE, ORG, KEY);
  }
}
