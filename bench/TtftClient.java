import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * instead); one that takes more than 60 s is an error. Streams are counted by when they start,
 * except failures, which count when they happen (one started in the warm-up that fails or times out
 * after it counts as an error). Prints one JSON line.
 *
 * <p>Clients that never read ({@code TTFT_NON_READERS=N}, the slow-reader case): before the workers
 * start, N requests ({@code TTFT_NON_READER_BODY}, to {@code TTFT_NON_READER_URL}, default URL, with
 * the same headers) are sent on raw sockets with a 4 KiB receive buffer that are then not read until
 * the workers are done. The workers start once the server has dealt with them: every one has part of
 * its answer waiting (the server is writing to it, so its buffers are filling) and, with {@code
 * TTFT_METRICS_URLS} (space-separated {@code /metrics} URLs of the server, summed), the counter
 * {@code switchboard_slow_clients_cut_total} has risen by N (the server has cut them all) — or after
 * {@code TTFT_NON_READER_SETTLE_SECONDS} (60) at most. The counter is read again at the end: how many
 * were cut, by reason. Then each non-reader is read, for at most {@code
 * TTFT_NON_READER_DRAIN_SECONDS} (20) in all, to see how its answer ended and how much of it came.
 */
public final class TtftClient {

  /** A non-empty JSON string value of a "content" field. */
  private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)");

  /** {@code switchboard_slow_clients_cut_total} with its labels and value. */
  private static final Pattern CUT_COUNTER =
      Pattern.compile("(?m)^switchboard_slow_clients_cut_total\\{([^}]*)\\}\\s+(\\S+)");

  private static final Pattern REASON = Pattern.compile("reason=\"([^\"]*)\"");

  /** The longest a measured stream may take before it counts as an error. */
  private static final long STREAM_TIMEOUT_SECONDS = 60;

  /** The measurements of one request. */
  private record Sample(long ttftNanos, long totalNanos, int contentLines) {}

  /** How the answer of a client that never read had ended when it was finally read. */
  private enum Ending {
    /** The server cut it: its last event is an error. */
    IN_BAND_ERROR("non_readers_error_end"),
    /** It got the whole answer. */
    DONE("non_readers_done_end"),
    /**
     * The connection closed before the answer's end (a cut client that does not read within the
     * server's write timeout after its cut is closed without its in-band error).
     */
    CLOSED("non_readers_closed_end"),
    /** Some other end, or reading it failed. */
    OTHER("non_readers_other_end"),
    /** Still going when the time to read it was up. */
    NOT_ENDED("non_readers_not_ended"),
    /** Refused: the answer's status was not 200. */
    NON_200("non_readers_non200");

    final String field;

    Ending(String field) {
      this.field = field;
    }
  }

  /** Watches the body line by line; completes once the body has ended (or failed). */
  private static final class LineWatcher implements Flow.Subscriber<String> {
    volatile long firstContentNanos;
    volatile int contentLines;
    volatile boolean done;
    final CompletableFuture<Long> finished = new CompletableFuture<>();

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

    // the slow-reader case: clients that never read, dealt with by the server before the workers start
    int nonReaderCount = Integer.parseInt(System.getenv().getOrDefault("TTFT_NON_READERS", "0"));
    String nonReaderBodyFile = System.getenv().getOrDefault("TTFT_NON_READER_BODY", "");
    if (nonReaderCount > 0 && nonReaderBodyFile.isBlank()) {
      System.err.println("TtftClient: set TTFT_NON_READER_BODY to the non-readers' request body file");
      System.exit(2);
    }
    URI nonReaderUri = URI.create(System.getenv().getOrDefault("TTFT_NON_READER_URL", args[0]));
    double settleSeconds = doubleEnv("TTFT_NON_READER_SETTLE_SECONDS", 60);
    double drainSeconds = doubleEnv("TTFT_NON_READER_DRAIN_SECONDS", 20);
    List<URI> metricsUris = new ArrayList<>();
    for (String url : System.getenv().getOrDefault("TTFT_METRICS_URLS", "").trim().split("\\s+")) {
      if (!url.isEmpty()) {
        metricsUris.add(URI.create(url));
      }
    }
    List<Socket> nonReaders = new ArrayList<>();
    int nonReaderOpenFailures = 0;
    AtomicReference<String> nonReaderProblem = new AtomicReference<>();
    Map<String, Double> cutBefore = null;
    double settledAfter = 0;
    boolean settled = true;
    if (nonReaderCount > 0) {
      byte[] nonReaderBody = Files.readAllBytes(Path.of(nonReaderBodyFile));
      cutBefore = metricsUris.isEmpty() ? null : cutCounters(client, metricsUris);
      long opened = System.nanoTime();
      for (int i = 0; i < nonReaderCount; i++) {
        try {
          nonReaders.add(openNonReader(nonReaderUri, nonReaderBody, headers));
        } catch (IOException e) {
          nonReaderOpenFailures++;
          nonReaderProblem.compareAndSet(null, "opening: " + e);
        }
      }
      long deadline = opened + (long) (settleSeconds * 1e9);
      while (!(settled = dealtWith(nonReaders, client, metricsUris, cutBefore))
          && System.nanoTime() < deadline) {
        pause(200);
      }
      settledAfter = (System.nanoTime() - opened) / 1e9;
    }

    long begin = System.nanoTime();
    long measureFrom = begin + (long) (warmupSeconds * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
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
                  LineWatcher watcher = new LineWatcher();
                  // the response completes once its body has ended: a stream that stalls would
                  // otherwise hold its worker for good
                  CompletableFuture<HttpResponse<Void>> pending =
                      client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(watcher));
                  try {
                    HttpResponse<Void> response = pending.get(STREAM_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    long finishedAt = watcher.finished.get(5, TimeUnit.SECONDS);
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
                  } catch (RuntimeException | ExecutionException | TimeoutException e) {
                    pending.cancel(true);
                    // a failure is counted when it happens: a server that stops answering during
                    // the warm-up shows as errors, not as a phase without requests
                    if (counted || System.nanoTime() >= measureFrom) {
                      errors.incrementAndGet();
                      firstProblem.compareAndSet(null, e.toString());
                    }
                    pause(50);
                  }
                }
              },
              "ttft-" + i);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double measuredSeconds = (System.nanoTime() - measureFrom) / 1e9;
    Map<String, Double> cutAfter = cutBefore == null ? null : cutCounters(client, metricsUris);
    Map<Ending, Integer> endings = new EnumMap<>(Ending.class);
    AtomicLong nonReaderBytes = new AtomicLong();
    AtomicLong nonReaderBytesMax = new AtomicLong();
    drain(nonReaders, drainSeconds, endings, nonReaderBytes, nonReaderBytesMax, nonReaderProblem);

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
      json.append(String.format(Locale.ROOT, "\"settled\":%b,\"settled_after_s\":%.2f,", settled, settledAfter));
      for (Ending ending : Ending.values()) {
        json.append(String.format(Locale.ROOT, "\"%s\":%d,", ending.field, endings.getOrDefault(ending, 0)));
      }
      json.append(String.format(Locale.ROOT, "\"non_reader_kib_mean\":%.0f,\"non_reader_kib_max\":%.0f,",
          nonReaders.isEmpty() ? 0.0 : nonReaderBytes.get() / 1024.0 / nonReaders.size(), nonReaderBytesMax.get() / 1024.0));
      if (cutBefore != null && cutAfter != null) {
        json.append(String.format(Locale.ROOT, "\"cut_total\":%.0f,", sum(cutAfter) - sum(cutBefore)));
        for (String reason : List.of("buffer", "timeout")) {
          json.append(String.format(Locale.ROOT, "\"cut_%s\":%.0f,", reason, cutAfter.getOrDefault(reason, 0.0) - cutBefore.getOrDefault(reason, 0.0)));
        }
      } else {
        json.append("\"cut_total\":null,\"cut_buffer\":null,\"cut_timeout\":null,");
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

  private static double doubleEnv(String name, double otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : Double.parseDouble(value);
  }

  private static String jsonString(String text) {
    return text == null ? "null" : '"' + text.replace("\\", "\\\\").replace("\"", "'") + '"';
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
   * Whether the server has dealt with the non-readers: each has part of its answer waiting and, when
   * the server's metrics are given, its cut counter has risen by their number.
   */
  private static boolean dealtWith(
      List<Socket> nonReaders, HttpClient client, List<URI> metricsUris, Map<String, Double> cutBefore) {
    for (Socket socket : nonReaders) {
      try {
        if (socket.getInputStream().available() == 0) {
          return false;
        }
      } catch (IOException closed) {
        // the server has closed it: dealt with
      }
    }
    if (cutBefore == null) {
      return true;
    }
    Map<String, Double> now = cutCounters(client, metricsUris);
    return now != null && sum(now) - sum(cutBefore) >= nonReaders.size();
  }

  /**
   * Reads every non-reader's answer to its end, all at once, for at most {@code seconds} in all, and
   * closes them; counts how each ended and how many bytes of answer each got.
   */
  private static void drain(
      List<Socket> sockets,
      double seconds,
      Map<Ending, Integer> endings,
      AtomicLong bytes,
      AtomicLong bytesMax,
      AtomicReference<String> problem)
      throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> readers = new ArrayList<>();
    for (Socket socket : sockets) {
      Thread reader =
          new Thread(
              () -> {
                Tail tail = new Tail();
                Ending ending = readToEnd(socket, deadline, tail, problem);
                synchronized (endings) {
                  endings.merge(ending, 1, Integer::sum);
                }
                bytes.addAndGet(tail.total);
                bytesMax.accumulateAndGet(tail.total, Math::max);
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
  }

  private static Ending readToEnd(
      Socket socket, long deadline, Tail tail, AtomicReference<String> problem) {
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
      if (last != null && last.substring(5).trim().equals("[DONE]")) {
        return Ending.DONE;
      }
      return last != null && last.contains("\"error\"") ? Ending.IN_BAND_ERROR : Ending.OTHER;
    } catch (DeadlinePassed e) {
      return Ending.NOT_ENDED;
    } catch (EOFException e) {
      return Ending.CLOSED;
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

    /** One line without its CR LF; the connection closing before it is an EOFException. */
    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] one = new byte[1];
      while (true) {
        if (read(one, 1) < 0) {
          throw new EOFException("the connection closed before the end of the answer");
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
          throw new EOFException("the connection closed before the end of the answer");
        }
        tail.add(buffer, got);
        left -= got;
      }
    }
  }

  /** The last few KiB of an answer (enough for its last event) and its length. */
  private static final class Tail {
    private static final int KEEP = 8192;
    private byte[] bytes = new byte[0];
    long total;

    void add(byte[] more, int length) {
      total += length;
      int keep = Math.min(KEEP, bytes.length + length);
      byte[] next = new byte[keep];
      int fromMore = Math.min(length, keep);
      int fromOld = keep - fromMore;
      System.arraycopy(bytes, bytes.length - fromOld, next, 0, fromOld);
      System.arraycopy(more, length - fromMore, next, fromOld, fromMore);
      bytes = next;
    }

    String lastDataLine() {
      String last = null;
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("data:")) {
          last = line.trim();
        }
      }
      return last;
    }
  }

  /** The cut counters of the servers summed by reason, or null when one did not answer. */
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
