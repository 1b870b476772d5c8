import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streaming client of bench/run: time to first token and total time of SSE chat completions.
 *
 * <pre>java bench/TtftClient.java URL CONCURRENCY SECONDS WARMUP_SECONDS</pre>
 *
 * <p>Environment: {@code TTFT_BODY} the request body file (a {@code "stream":true} chat request),
 * {@code TTFT_HEADERS} extra headers as {@code "Name: value|Name2: value2"}.
 *
 * <p>CONCURRENCY workers each send one request after another (closed loop) for WARMUP_SECONDS, whose
 * requests are discarded, then for SECONDS. Time to first token is measured from just before the request
 * is handed to the HTTP client to the arrival of the first {@code data:} line whose delta carries a
 * non-empty {@code content} (the role-only first chunk, whose content is empty, does not count);
 * the total time runs to the end of the body. A stream counts as answered only with status 200, some
 * content and a {@code data: [DONE]} line (a stream cut by the server ends with an in-band error
 * instead). Prints one JSON line.
 *
 * <p>Clients that never read ({@code TTFT_NON_READERS=N}, the slow-reader case): once the warm-up is
 * over, N more requests ({@code TTFT_NON_READER_BODY}, to {@code TTFT_NON_READER_URL}, default URL,
 * with the same headers) are sent on raw sockets with a 4 KiB receive buffer that are then not read,
 * and only the streams started after that are measured. After the measured seconds each of them is
 * read, for at most {@code TTFT_NON_READER_DRAIN_SECONDS} (20) in all, to see how its answer ended:
 * an in-band error (cut by the server), {@code [DONE]}, otherwise, or not yet. With {@code
 * TTFT_METRICS_URLS} (space-separated {@code /metrics} URLs of the server, summed) the counter {@code
 * switchboard_slow_clients_cut_total} is read before they are opened, every 200 ms while the streams
 * are measured and at the end, giving how many were cut, by reason, and when the last of them was;
 * the {@code held_*} figures are those of the streams started before that moment (all of them when
 * the server never cut them all), i.e. while the non-readers still held the server's buffers.
 */
public final class TtftClient {

  /** A non-empty JSON string value of a "content" field. */
  private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)");

  /** A cut counter sample: {@code switchboard_slow_clients_cut_total} by its reason label. */
  private static final Pattern CUT_COUNTER =
      Pattern.compile("(?m)^switchboard_slow_clients_cut_total\\{([^}]*)\\}\\s+(\\S+)");

  private static final Pattern REASON = Pattern.compile("reason=\"([^\"]*)\"");

  /** The measurements of one request. */
  private record Sample(long startNanos, long ttftNanos, long totalNanos, int contentLines) {}

  /** How the answer of a client that never read had ended when it was finally read. */
  private enum Ending {
    IN_BAND_ERROR("non_readers_error_end"),
    DONE("non_readers_done_end"),
    OTHER("non_readers_other_end"),
    NOT_ENDED("non_readers_not_ended"),
    NON_200("non_readers_non200");

    final String field;

    Ending(String field) {
      this.field = field;
    }
  }

  /**
   * When measuring starts and stops: set by the main thread once the warm-up is over (and any
   * non-readers are open), read by the workers.
   */
  private static volatile long measureFrom = Long.MAX_VALUE;

  private static volatile long end = Long.MAX_VALUE;

  /** Watches the body line by line; completes once the body has ended (or failed). */
  private static final class LineWatcher implements Flow.Subscriber<String> {
    final long startNanos;
    volatile long firstContentNanos;
    volatile int contentLines;
    volatile boolean done;
    final CompletableFuture<Long> finished = new CompletableFuture<>();

    LineWatcher(long startNanos) {
      this.startNanos = startNanos;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (!line.startsWith("data:")) {
        return;
      }
      if (line.substring(5).trim().equals("[DONE]")) {
        done = true;
      } else if (CONTENT.matcher(line).find()) {
        if (contentLines == 0) {
          firstContentNanos = System.nanoTime();
        }
        contentLines++;
      }
    }

    @Override
    public void onError(Throwable error) {
      finished.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      finished.complete(System.nanoTime());
    }
  }

  private TtftClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: java bench/TtftClient.java URL CONCURRENCY SECONDS WARMUP_SECONDS");
      System.exit(2);
    }
    URI uri = URI.create(args[0]);
    int concurrency = Integer.parseInt(args[1]);
    double seconds = Double.parseDouble(args[2]);
    double warmupSeconds = Double.parseDouble(args[3]);
    String bodyFile = System.getenv("TTFT_BODY");
    if (bodyFile == null || bodyFile.isBlank()) {
      System.err.println("TtftClient: set TTFT_BODY to the request body file");
      System.exit(2);
    }
    byte[] body = Files.readAllBytes(Path.of(bodyFile));

    HttpRequest.Builder template =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream");
    String headers = System.getenv().getOrDefault("TTFT_HEADERS", "");
    for (String pair : headers.split("\\|")) {
      int colon = pair.indexOf(':');
      if (colon > 0) {
        template.header(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
      }
    }
    HttpRequest request = template.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    // HTTP/1.1 like wrk and like the usual SDKs over plain http (no h2c upgrade attempt per connection).
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    int nonReaderCount = Integer.parseInt(System.getenv().getOrDefault("TTFT_NON_READERS", "0"));
    URI nonReaderUri = URI.create(System.getenv().getOrDefault("TTFT_NON_READER_URL", args[0]));
    String nonReaderBodyFile = System.getenv().getOrDefault("TTFT_NON_READER_BODY", "");
    if (nonReaderCount > 0 && nonReaderBodyFile.isBlank()) {
      System.err.println("TtftClient: set TTFT_NON_READER_BODY to the non-readers' request body file");
      System.exit(2);
    }
    byte[] nonReaderBody = nonReaderCount > 0 ? Files.readAllBytes(Path.of(nonReaderBodyFile)) : null;
    double drainSeconds =
        Double.parseDouble(System.getenv().getOrDefault("TTFT_NON_READER_DRAIN_SECONDS", "20"));
    List<URI> metricsUris = new ArrayList<>();
    for (String url : System.getenv().getOrDefault("TTFT_METRICS_URLS", "").trim().split("\\s+")) {
      if (!url.isEmpty()) {
        metricsUris.add(URI.create(url));
      }
    }

    long begin = System.nanoTime();
    List<Sample> samples = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong non200 = new AtomicLong();
    AtomicLong noContent = new AtomicLong();
    AtomicLong noDone = new AtomicLong();
    AtomicReference<String> firstProblem = new AtomicReference<>();

    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Thread worker =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long start = System.nanoTime();
                  boolean counted = start >= measureFrom;
                  LineWatcher watcher = new LineWatcher(start);
                  try {
                    HttpResponse<Void> response =
                        client.send(request, HttpResponse.BodyHandlers.fromLineSubscriber(watcher));
                    long finishedAt = watcher.finished.get(60, TimeUnit.SECONDS);
                    if (!counted) {
                      continue;
                    }
                    if (response.statusCode() != 200) {
                      non200.incrementAndGet();
                      firstProblem.compareAndSet(null, "HTTP " + response.statusCode());
                    } else if (watcher.contentLines == 0) {
                      noContent.incrementAndGet();
                      firstProblem.compareAndSet(null, "stream without content");
                    } else if (!watcher.done) {
                      noDone.incrementAndGet();
                      firstProblem.compareAndSet(null, "stream without [DONE]");
                    } else {
                      Sample sample =
                          new Sample(
                              start,
                              watcher.firstContentNanos - start,
                              finishedAt - start,
                              watcher.contentLines);
                      synchronized (samples) {
                        samples.add(sample);
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException
                      | java.util.concurrent.TimeoutException e) {
                    if (counted) {
                      errors.incrementAndGet();
                      firstProblem.compareAndSet(null, e.toString());
                    }
                    pause();
                  }
                }
              },
              "ttft-" + i);
      worker.start();
      workers.add(worker);
    }
    sleepUntil(begin + (long) (warmupSeconds * 1e9));

    // the slow-reader case: clients that never read, opened before the measured streams start
    List<Socket> nonReaders = new ArrayList<>();
    int nonReaderOpenFailures = 0;
    AtomicReference<String> nonReaderProblem = new AtomicReference<>();
    Map<String, Double> cutBefore = metricsUris.isEmpty() ? null : cutCounters(client, metricsUris);
    for (int i = 0; i < nonReaderCount; i++) {
      try {
        nonReaders.add(openNonReader(nonReaderUri, nonReaderBody, headers));
      } catch (IOException e) {
        nonReaderOpenFailures++;
        nonReaderProblem.compareAndSet(null, "opening: " + e);
      }
    }
    long measuredFrom = System.nanoTime();
    measureFrom = measuredFrom;
    end = measuredFrom + (long) (seconds * 1e9);

    // polls the cut counter while the streams are measured: when were the non-readers all cut?
    AtomicLong allCutAt = new AtomicLong(Long.MAX_VALUE);
    Thread cutWatcher = null;
    if (cutBefore != null && !nonReaders.isEmpty()) {
      int opened = nonReaders.size();
      cutWatcher =
          new Thread(
              () -> {
                while (System.nanoTime() < end && allCutAt.get() == Long.MAX_VALUE) {
                  Map<String, Double> now = cutCounters(client, metricsUris);
                  if (now != null && sum(now) - sum(cutBefore) >= opened) {
                    allCutAt.set(System.nanoTime());
                  }
                  pause(200);
                }
              },
              "ttft-cuts");
      cutWatcher.setDaemon(true);
      cutWatcher.start();
    }

    for (Thread worker : workers) {
      worker.join();
    }
    double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
    if (cutWatcher != null) {
      cutWatcher.join();
    }
    Map<String, Double> cutAfter =
        cutBefore == null || nonReaders.isEmpty() ? null : cutCounters(client, metricsUris);
    Map<Ending, Integer> endings = drain(nonReaders, drainSeconds, nonReaderProblem);

    long[] ttft = samples.stream().mapToLong(Sample::ttftNanos).sorted().toArray();
    long[] total = samples.stream().mapToLong(Sample::totalNanos).sorted().toArray();
    double chunks = samples.stream().mapToInt(Sample::contentLines).average().orElse(0);
    StringBuilder json = new StringBuilder("{");
    json.append(String.format(Locale.ROOT, "\"concurrency\":%d,\"secs\":%.2f,", concurrency, measuredSeconds));
    json.append(String.format(Locale.ROOT, "\"reqs\":%d,\"ok\":%d,", samples.size() + errors.get() + non200.get() + noContent.get() + noDone.get(), samples.size()));
    json.append(String.format(Locale.ROOT, "\"rps\":%.1f,", samples.size() / measuredSeconds));
    json.append(String.format(Locale.ROOT, "\"errors\":%d,\"non200\":%d,\"no_content\":%d,\"no_done\":%d,", errors.get(), non200.get(), noContent.get(), noDone.get()));
    json.append(String.format(Locale.ROOT, "\"content_chunks_mean\":%.1f,", chunks));
    for (int p : new int[] {50, 90, 99}) {
      json.append(String.format(Locale.ROOT, "\"ttft_p%d_ms\":%.3f,", p, percentileMillis(ttft, p)));
    }
    for (int p : new int[] {50, 90, 99}) {
      json.append(String.format(Locale.ROOT, "\"total_p%d_ms\":%.3f,", p, percentileMillis(total, p)));
    }
    if (nonReaderCount > 0) {
      json.append(String.format(Locale.ROOT, "\"non_readers\":%d,\"non_readers_open_failed\":%d,", nonReaders.size(), nonReaderOpenFailures));
      for (Ending ending : Ending.values()) {
        json.append(String.format(Locale.ROOT, "\"%s\":%d,", ending.field, endings.getOrDefault(ending, 0)));
      }
      if (cutAfter != null && cutBefore != null) {
        json.append(String.format(Locale.ROOT, "\"cut_total\":%.0f,", sum(cutAfter) - sum(cutBefore)));
        for (String reason : List.of("buffer", "timeout")) {
          json.append(String.format(Locale.ROOT, "\"cut_%s\":%.0f,", reason, cutAfter.getOrDefault(reason, 0.0) - cutBefore.getOrDefault(reason, 0.0)));
        }
      } else {
        json.append("\"cut_total\":null,\"cut_buffer\":null,\"cut_timeout\":null,");
      }
      long heldUntil = allCutAt.get();
      json.append("\"all_cut_after_s\":")
          .append(heldUntil == Long.MAX_VALUE ? "null" : String.format(Locale.ROOT, "%.2f", (heldUntil - measuredFrom) / 1e9))
          .append(',');
      long[] held = samples.stream().filter(x -> x.startNanos() < heldUntil).mapToLong(Sample::ttftNanos).sorted().toArray();
      json.append(String.format(Locale.ROOT, "\"held_ok\":%d,", held.length));
      for (int p : new int[] {50, 99}) {
        json.append(String.format(Locale.ROOT, "\"held_ttft_p%d_ms\":%.3f,", p, percentileMillis(held, p)));
      }
      json.append("\"non_reader_problem\":").append(jsonString(nonReaderProblem.get())).append(',');
    }
    json.append("\"first_problem\":").append(jsonString(firstProblem.get())).append('}');
    System.out.println(json);
    System.exit(0);
  }

  /** Nearest-rank percentile, in milliseconds; -1 without samples. */
  private static double percentileMillis(long[] sortedNanos, int percentile) {
    if (sortedNanos.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length, rank) - 1)] / 1e6;
  }

  private static String jsonString(String text) {
    return text == null ? "null" : '"' + text.replace("\\", "\\\\").replace("\"", "'") + '"';
  }

  private static void pause() {
    pause(50);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /**
   * A streamed request on a socket that is not read until the end of the run: a receive buffer of 4
   * KiB keeps the window small, so that little of the answer sits on this side.
   */
  private static Socket openNonReader(URI uri, byte[] body, String headers) throws IOException {
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    Socket socket = new Socket();
    try {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(uri.getHost(), port), 5000);
      StringBuilder head = new StringBuilder();
      String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      head.append("POST ").append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n");
      head.append("Content-Type: application/json\r\nAccept: text/event-stream\r\n");
      head.append("Content-Length: ").append(body.length).append("\r\n");
      for (String pair : headers.split("\\|")) {
        int colon = pair.indexOf(':');
        if (colon > 0) {
          head.append(pair.substring(0, colon).trim()).append(": ");
          head.append(pair.substring(colon + 1).trim()).append("\r\n");
        }
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Reads every non-reader's answer to its end, all at once, for at most {@code seconds} in all, and
   * closes them; says how each ended.
   */
  private static Map<Ending, Integer> drain(
      List<Socket> sockets, double seconds, AtomicReference<String> problem)
      throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    Map<Ending, Integer> endings = new EnumMap<>(Ending.class);
    List<Thread> readers = new ArrayList<>();
    for (Socket socket : sockets) {
      Thread reader =
          new Thread(
              () -> {
                Ending ending = readToEnd(socket, deadline, problem);
                synchronized (endings) {
                  endings.merge(ending, 1, Integer::sum);
                }
                try {
                  socket.close();
                } catch (IOException ignored) {
                  // closing is all that is left to do with it
                }
              },
              "ttft-drain");
      reader.start();
      readers.add(reader);
    }
    for (Thread reader : readers) {
      reader.join();
    }
    return endings;
  }

  private static Ending readToEnd(Socket socket, long deadline, AtomicReference<String> problem) {
    try {
      socket.setSoTimeout(500);
      DeadlineReader in = new DeadlineReader(socket.getInputStream(), deadline);
      String status = in.line();
      String[] parts = status.split(" ");
      int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      boolean chunked = false;
      long length = -1;
      String line;
      while (!(line = in.line()).isEmpty()) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        }
      }
      if (code != 200) {
        problem.compareAndSet(null, status);
        return Ending.NON_200;
      }
      Tail tail = new Tail();
      if (chunked) {
        while (true) {
          String size = in.line();
          int semicolon = size.indexOf(';');
          long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
          if (n == 0) {
            break;
          }
          in.copy(n, tail);
          in.line();
        }
      } else {
        in.copy(length < 0 ? Long.MAX_VALUE : length, tail);
      }
      String last = tail.lastDataLine();
      if (last == null) {
        return Ending.OTHER;
      }
      if (last.substring(5).trim().equals("[DONE]")) {
        return Ending.DONE;
      }
      return last.contains("\"error\"") ? Ending.IN_BAND_ERROR : Ending.OTHER;
    } catch (DeadlinePassed e) {
      return Ending.NOT_ENDED;
    } catch (IOException | RuntimeException e) {
      problem.compareAndSet(null, "reading: " + e);
      return Ending.OTHER;
    }
  }

  /** The time to read a non-reader's answer is up. */
  private static final class DeadlinePassed extends IOException {
    DeadlinePassed() {
      super("deadline passed");
    }
  }

  /** Reads a socket with a short timeout, again and again until an overall deadline. */
  private static final class DeadlineReader {
    private final InputStream in;
    private final long deadline;
    private final byte[] buffer = new byte[65536];

    DeadlineReader(InputStream in, long deadline) {
      this.in = new BufferedInputStream(in, 65536);
      this.deadline = deadline;
    }

    private int read(byte[] into, int length) throws IOException {
      while (true) {
        if (System.nanoTime() > deadline) {
          throw new DeadlinePassed();
        }
        try {
          return in.read(into, 0, length);
        } catch (SocketTimeoutException e) {
          // the deadline decides
        }
      }
    }

    /** One line without its CR LF; an end of stream before it is an error. */
    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] one = new byte[1];
      while (true) {
        if (read(one, 1) < 0) {
          throw new IOException("the response ended early");
        }
        if (one[0] == '\n') {
          return line.toString(StandardCharsets.US_ASCII).replace("\r", "");
        }
        line.write(one[0]);
      }
    }

    /** Copies n bytes (or to the end of the stream when n is Long.MAX_VALUE) into the tail. */
    void copy(long n, Tail tail) throws IOException {
      long left = n;
      while (left > 0) {
        int got = read(buffer, (int) Math.min(buffer.length, left));
        if (got < 0) {
          if (n == Long.MAX_VALUE) {
            return;
          }
          throw new IOException("the response ended early");
        }
        tail.add(buffer, got);
        left -= got;
      }
    }
  }

  /** The last few KiB of an answer: enough for its last event. */
  private static final class Tail {
    private static final int KEEP = 8192;
    private byte[] bytes = new byte[0];

    void add(byte[] more, int length) {
      int keep = Math.min(KEEP, bytes.length + length);
      byte[] next = new byte[keep];
      int fromMore = Math.min(length, keep);
      int fromOld = keep - fromMore;
      System.arraycopy(bytes, bytes.length - fromOld, next, 0, fromOld);
      System.arraycopy(more, length - fromMore, next, fromOld, fromMore);
      bytes = next;
    }

    String lastDataLine() {
      String text = new String(bytes, StandardCharsets.UTF_8);
      String last = null;
      for (String line : text.split("\n")) {
        if (line.startsWith("data:")) {
          last = line.trim();
        }
      }
      return last;
    }
  }

  /** The cut counter of each server summed by reason, or null when one did not answer. */
  private static Map<String, Double> cutCounters(HttpClient client, List<URI> uris) {
    Map<String, Double> byReason = new TreeMap<>();
    for (URI uri : uris) {
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          return null;
        }
        Matcher counter = CUT_COUNTER.matcher(response.body());
        while (counter.find()) {
          Matcher reason = REASON.matcher(counter.group(1));
          byReason.merge(
              reason.find() ? reason.group(1) : "", Double.parseDouble(counter.group(2)), Double::sum);
        }
      } catch (IOException | RuntimeException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return byReason;
  }

  private static double sum(Map<String, Double> counters) {
    return counters.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
