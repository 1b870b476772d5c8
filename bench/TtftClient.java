import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 */
public final class TtftClient {

  /** A non-empty JSON string value of a "content" field. */
  private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)");

  /** The measurements of one request. */
  private record Sample(long ttftNanos, long totalNanos, int contentLines) {}

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
    for (Thread worker : workers) {
      worker.join();
    }
    double measuredSeconds = (System.nanoTime() - measureFrom) / 1e9;

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
    String problem = firstProblem.get();
    json.append("\"first_problem\":")
        .append(problem == null ? "null" : '"' + problem.replace("\\", "\\\\").replace("\"", "'") + '"')
        .append('}');
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

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
