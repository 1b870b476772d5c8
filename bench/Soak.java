import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client of bench/soak: sends REQUESTS chat completions (a seeded mix of streamed and non-streamed)
 * through Switchboard with CONCURRENCY workers, classifies every answer, watches the failing
 * endpoint's circuit breaker in /metrics, checks the books afterwards and prints the verdict.
 *
 * <pre>java bench/Soak.java GATEWAY_URL SIMULATOR_URL REQUESTS CONCURRENCY OUT_DIR</pre>
 *
 * <p>Environment: {@code SOAK_KEY} the organization's management key (the requests' bearer and the
 * reader of {@code GET /credits}), {@code SOAK_OPERATOR_TOKEN} (for {@code GET
 * /operator/reconciliation}), {@code SOAK_MODEL} (default {@code soak/echo}), {@code
 * SOAK_WATCH_PROVIDER} (the endpoint whose breaker must open and close, default {@code flaky}),
 * {@code SOAK_UPSTREAM_MODEL} (default {@code echo}), {@code SOAK_STREAM_SHARE} (0.5), {@code
 * SOAK_SEED} (1), {@code SOAK_POLL_MS} (100), {@code SOAK_TIMEOUT_SECONDS} (60, per request).
 *
 * <p>The expected answer of each prompt is asked of the simulator directly first (its text depends
 * only on the model and the conversation), so every answer through the gateway is compared with the
 * whole answer, word for word. Each request carries its own {@code session_id}, so sticky routing
 * (which would keep a conversation on the provider that last answered it) never applies: the
 * cheapest endpoint is tried first whenever its breaker is not open.
 *
 * <p>Outcomes: success (200; a stream that ends with usage and {@code [DONE]}, no error chunk,
 * finish_reason stop or length; an answer whose content is exactly the expected one and whose
 * tokens equal {@code usage.completion_tokens}); in-band error (a stream that ends with an error
 * chunk and no {@code [DONE]}); HTTP error; transport error or timeout; truncated (an answer that
 * presents itself as complete, or ends silently, with less than the whole answer); corrupt (a
 * complete-looking answer that differs otherwise). Exit status 0 when every check passed.
 */
public final class Soak {

  enum Outcome {
    SUCCESS("success"),
    INBAND_ERROR("in-band error (stream ended with an error chunk, no [DONE])"),
    HTTP_ERROR("HTTP error"),
    TRANSPORT_ERROR("transport error or client timeout"),
    TRUNCATED("truncated success"),
    CORRUPT("corrupt success (complete-looking, content differs)");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  /** One request's result. */
  record Result(
      int index,
      boolean stream,
      Outcome outcome,
      int status,
      String provider,
      BigDecimal cost,
      long millis,
      String detail) {}

  /** The whole answer to one conversation, as the simulator gives it. */
  record Expected(String content, long completionTokens) {}

  /** A state of the watched breaker, seen at a poll. */
  record BreakerSample(long atMillis, int state) {}

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private static final String[][] PROMPTS = {
    {"You are a terse assistant.", "Summarise the benefits of connection pooling."},
    {"You are a terse assistant.", "Why do circuit breakers have a half-open state?"},
    {"You answer in one paragraph.", "Explain double-entry bookkeeping to a programmer."},
    {"You answer in one paragraph.", "What does an idempotency key protect against?"},
    {"You are a careful reviewer.", "List the risks of retrying a non-idempotent request."},
    {"You are a careful reviewer.", "When should a stream be cut rather than waited for?"},
    {"You are a patient teacher.", "How does server-sent events framing work?"},
    {"You are a patient teacher.", "What is tail latency and why does it matter?"},
    {"You write release notes.", "Describe a fix for streams that ended silently."},
    {"You write release notes.", "Describe a new failover policy for providers."},
    {"You are a database expert.", "Why keep money as integer nano-dollars?"},
    {"You are a database expert.", "What is group commit?"},
    {"You are an SRE.", "What should a soak test measure?"},
    {"You are an SRE.", "How do you tell a stall from a slow provider?"},
    {"You are a product manager.", "Why does zero-completion insurance matter to users?"},
    {"You are a product manager.", "What is an acceptable error budget for an API?"},
  };

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: java bench/Soak.java GATEWAY_URL SIMULATOR_URL REQUESTS CONCURRENCY OUT_DIR");
      System.exit(2);
    }
    new Soak(args).run();
  }

  private final String gateway;
  private final String simulator;
  private final int requests;
  private final int concurrency;
  private final Path out;
  private final String key = env("SOAK_KEY", null);
  private final String operatorToken = env("SOAK_OPERATOR_TOKEN", null);
  private final String model = env("SOAK_MODEL", "soak/echo");
  private final String watched = env("SOAK_WATCH_PROVIDER", "flaky");
  private final String upstreamModel = env("SOAK_UPSTREAM_MODEL", "echo");
  private final double streamShare = Double.parseDouble(env("SOAK_STREAM_SHARE", "0.5"));
  private final long seed = Long.parseLong(env("SOAK_SEED", "1"));
  private final long pollMillis = Long.parseLong(env("SOAK_POLL_MS", "100"));
  private final long timeoutSeconds = Long.parseLong(env("SOAK_TIMEOUT_SECONDS", "60"));
  private final HttpClient http;
  private final List<Expected> expected = new ArrayList<>();
  private final List<BreakerSample> breaker = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger pollFailures = new AtomicInteger();
  private final Map<Integer, AtomicInteger> pollsByState = new ConcurrentHashMap<>();
  private long startMillis;

  private Soak(String[] args) {
    gateway = args[0].replaceAll("/+$", "");
    simulator = args[1].replaceAll("/+$", "");
    requests = Integer.parseInt(args[2]);
    concurrency = Integer.parseInt(args[3]);
    out = Path.of(args[4]);
    if (key == null || operatorToken == null) {
      throw new IllegalArgumentException("SOAK_KEY and SOAK_OPERATOR_TOKEN must be set");
    }
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(4))
            .build();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  // ---- the run

  private void run() throws Exception {
    Files.createDirectories(out);
    for (String[] prompt : PROMPTS) {
      expected.add(expectedAnswer(prompt));
    }
    BigDecimal usageBefore = totalUsage();
    log(
        "%d requests, %d workers, %.0f%% streamed (seed %d); watching %s's breaker every %d ms",
        requests, concurrency, streamShare * 100, seed, watched, pollMillis);

    Random mix = new Random(seed);
    boolean[] streamed = new boolean[requests];
    int[] prompt = new int[requests];
    for (int i = 0; i < requests; i++) {
      streamed[i] = mix.nextDouble() < streamShare;
      prompt[i] = mix.nextInt(PROMPTS.length);
    }

    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    startMillis = System.currentTimeMillis();
    poller.scheduleAtFixedRate(this::pollBreaker, 0, pollMillis, TimeUnit.MILLISECONDS);

    Result[] results = new Result[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Map<Outcome, AtomicInteger> running = new ConcurrentHashMap<>();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    for (int w = 0; w < concurrency; w++) {
      workers.execute(
          () -> {
            int i;
            while ((i = next.getAndIncrement()) < requests) {
              Result result = send(i, streamed[i], prompt[i]);
              results[i] = result;
              running.computeIfAbsent(result.outcome(), o -> new AtomicInteger()).incrementAndGet();
              done.incrementAndGet();
            }
          });
    }
    workers.shutdown();
    while (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
      long secs = (System.currentTimeMillis() - startMillis) / 1000;
      log(
          "%6d s  %5d/%d done  %s  breaker %s",
          secs, done.get(), requests, tally(running), lastBreakerState());
    }
    long tookMillis = System.currentTimeMillis() - startMillis;
    poller.shutdownNow();
    poller.awaitTermination(10, TimeUnit.SECONDS);
    String metricsAfter = get(gateway + "/metrics", null).body();
    Files.writeString(out.resolve("metrics-after.txt"), metricsAfter);
    recordBreaker(metricsAfter); // a last look at the breaker after the load

    report(results, tookMillis, usageBefore, metricsAfter);
  }

  /** The whole answer of one conversation, asked of the simulator directly. */
  private Expected expectedAnswer(String[] prompt) throws Exception {
    String body =
        "{\"model\":" + quote(upstreamModel) + ",\"messages\":" + messages(prompt) + "}";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(simulator + "/reference/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer soak-reference")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the simulator answered " + response.statusCode());
    }
    Map<String, Object> json = Json.object(response.body());
    String content = Json.string(Json.path(json, "choices", 0, "message", "content"));
    long tokens = Json.number(Json.path(json, "usage", "completion_tokens")).longValueExact();
    if (content == null || content.isEmpty() || tokens(content) != tokens) {
      throw new IllegalStateException("unexpected reference answer: " + response.body());
    }
    return new Expected(content, tokens);
  }

  private static String messages(String[] prompt) {
    return "[{\"role\":\"system\",\"content\":"
        + quote(prompt[0])
        + "},{\"role\":\"user\",\"content\":"
        + quote(prompt[1])
        + "}]";
  }

  private Result send(int index, boolean stream, int prompt) {
    String body =
        "{\"model\":"
            + quote(model)
            + ",\"session_id\":"
            + quote("soak-" + seed + "-" + index)
            + ",\"messages\":"
            + messages(PROMPTS[prompt])
            + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
            + "}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway + "/api/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<String>> call =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response;
    try {
      response = call.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return new Result(
          index, stream, Outcome.TRANSPORT_ERROR, 0, null, null, millisSince(started),
          "no complete answer within " + timeoutSeconds + " s");
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new Result(
          index, stream, Outcome.TRANSPORT_ERROR, 0, null, null, millisSince(started),
          cause.toString());
    }
    long millis = millisSince(started);
    Expected whole = expected.get(prompt);
    try {
      if (response.statusCode() != 200) {
        return new Result(
            index, stream, Outcome.HTTP_ERROR, response.statusCode(), null, null, millis,
            abbreviate(response.body()));
      }
      return stream
          ? classifyStream(index, response.body(), whole, millis)
          : classifyWhole(index, response.body(), whole, millis);
    } catch (RuntimeException unreadable) {
      return new Result(
          index, stream, Outcome.CORRUPT, response.statusCode(), null, null, millis,
          "unreadable answer (" + unreadable.getMessage() + "): " + abbreviate(response.body()));
    }
  }

  private Result classifyWhole(int index, String body, Expected whole, long millis) {
    Map<String, Object> json = Json.object(body);
    String content = Json.string(Json.path(json, "choices", 0, "message", "content"));
    String finish = Json.string(Json.path(json, "choices", 0, "finish_reason"));
    Object usage = Json.path(json, "usage");
    String provider = Json.string(Json.path(json, "provider"));
    BigDecimal cost = usage == null ? null : Json.number(Json.path(usage, "cost"));
    BigDecimal completionTokens =
        usage == null ? null : Json.number(Json.path(usage, "completion_tokens"));
    String text = content == null ? "" : content;
    boolean finished = "stop".equals(finish) || "length".equals(finish);
    if (finished && text.equals(whole.content()) && usage != null && cost != null
        && completionTokens != null && completionTokens.longValueExact() == tokens(text)) {
      return new Result(index, false, Outcome.SUCCESS, 200, provider, cost, millis, null);
    }
    String detail =
        "finish_reason " + finish + ", " + tokens(text) + " of " + whole.completionTokens()
            + " tokens, usage.completion_tokens " + completionTokens;
    Outcome outcome =
        whole.content().startsWith(text) && text.length() < whole.content().length()
            ? Outcome.TRUNCATED
            : Outcome.CORRUPT;
    return new Result(index, false, outcome, 200, provider, cost, millis, detail);
  }

  private Result classifyStream(int index, String body, Expected whole, long millis) {
    StringBuilder content = new StringBuilder();
    String finish = null;
    String provider = null;
    Object usage = null;
    Object error = null;
    boolean sawDone = false;
    boolean dataAfterDone = false;
    for (String line : body.split("\r?\n")) {
      if (!line.startsWith("data:")) {
        continue; // blank separators and ": keep-alive" comments
      }
      String data = line.substring(5).strip();
      if (sawDone) {
        dataAfterDone = true;
      }
      if (data.equals("[DONE]")) {
        sawDone = true;
        continue;
      }
      Map<String, Object> chunk = Json.object(data);
      if (chunk.get("error") != null) {
        error = chunk.get("error");
      }
      if (chunk.get("provider") instanceof String p) {
        provider = p;
      }
      if (chunk.get("usage") != null) {
        usage = chunk.get("usage");
      }
      Object choice = Json.path(chunk, "choices", 0);
      if (choice != null) {
        String piece = Json.string(Json.path(choice, "delta", "content"));
        if (piece != null) {
          content.append(piece);
        }
        String reason = Json.string(Json.path(choice, "finish_reason"));
        if (reason != null) {
          finish = reason;
        }
      }
    }
    String text = content.toString();
    BigDecimal cost = usage == null ? null : Json.number(Json.path(usage, "cost"));
    BigDecimal completionTokens =
        usage == null ? null : Json.number(Json.path(usage, "completion_tokens"));
    String shape =
        "finish_reason " + finish + ", " + tokens(text) + " of " + whole.completionTokens()
            + " tokens, usage.completion_tokens " + completionTokens + ", [DONE] "
            + (sawDone ? "yes" : "no");
    if (error != null && !sawDone) {
      return new Result(
          index, true, Outcome.INBAND_ERROR, 200, provider, cost, millis,
          shape + ", error " + Json.string(Json.path(error, "message")));
    }
    if (error != null || dataAfterDone) {
      // [DONE] after an error chunk, or data after [DONE]: a client may take it as a whole answer
      return new Result(
          index, true, Outcome.TRUNCATED, 200, provider, cost, millis,
          shape + (error != null ? ", error chunk then [DONE]" : ", data after [DONE]"));
    }
    boolean finished = "stop".equals(finish) || "length".equals(finish);
    if (sawDone && finished && text.equals(whole.content()) && usage != null && cost != null
        && completionTokens != null && completionTokens.longValueExact() == tokens(text)) {
      return new Result(index, true, Outcome.SUCCESS, 200, provider, cost, millis, null);
    }
    boolean shorter =
        !sawDone
            || !finished
            || (whole.content().startsWith(text) && text.length() < whole.content().length());
    return new Result(
        index, true, shorter ? Outcome.TRUNCATED : Outcome.CORRUPT, 200, provider, cost, millis,
        shape);
  }

  // ---- the breaker, from /metrics

  private void pollBreaker() {
    try {
      recordBreaker(get(gateway + "/metrics", null).body());
    } catch (Exception e) {
      pollFailures.incrementAndGet();
    }
  }

  /** Counts the watched breaker's state in a /metrics text and keeps it when it changed. */
  private void recordBreaker(String metrics) {
    Integer state = breakerState(metrics, watched);
    if (state == null) {
      return; // the endpoint has no gauge yet
    }
    long at = System.currentTimeMillis();
    pollsByState.computeIfAbsent(state, s -> new AtomicInteger()).incrementAndGet();
    synchronized (breaker) {
      if (breaker.isEmpty() || breaker.get(breaker.size() - 1).state() != state) {
        breaker.add(new BreakerSample(at, state));
      }
    }
  }

  /** The value of switchboard_endpoint_breaker_state for the provider, or null when absent. */
  static Integer breakerState(String metrics, String provider) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("switchboard_endpoint_breaker_state{")
          && line.contains("provider=\"" + provider + "\"")) {
        String value = line.substring(line.lastIndexOf(' ') + 1).trim();
        return (int) Double.parseDouble(value);
      }
    }
    return null;
  }

  private String lastBreakerState() {
    synchronized (breaker) {
      return breaker.isEmpty() ? "-" : stateName(breaker.get(breaker.size() - 1).state());
    }
  }

  private static String stateName(int state) {
    return switch (state) {
      case 0 -> "closed";
      case 1 -> "half-open";
      case 2 -> "open";
      default -> "state " + state;
    };
  }

  // ---- the books

  private BigDecimal totalUsage() throws Exception {
    HttpResponse<String> credits = get(gateway + "/api/v1/credits", key);
    if (credits.statusCode() != 200) {
      throw new IllegalStateException("GET /credits answered " + credits.statusCode());
    }
    return Json.number(Json.path(Json.object(credits.body()), "data", "total_usage"));
  }

  private HttpResponse<String> get(String url, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- the verdict

  private void report(Result[] results, long tookMillis, BigDecimal usageBefore, String metrics)
      throws Exception {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, 0);
    }
    Map<String, Integer> successByProvider = new TreeMap<>();
    BigDecimal successCost = BigDecimal.ZERO;
    BigDecimal failedCost = BigDecimal.ZERO;
    int streamed = 0;
    long[] successMillis = new long[results.length];
    int successes = 0;
    List<Result> failures = new ArrayList<>();
    for (Result r : results) {
      counts.merge(r.outcome(), 1, Integer::sum);
      streamed += r.stream() ? 1 : 0;
      if (r.outcome() == Outcome.SUCCESS) {
        successCost = successCost.add(r.cost());
        successByProvider.merge(String.valueOf(r.provider()), 1, Integer::sum);
        successMillis[successes++] = r.millis();
      } else {
        failures.add(r);
        if (r.cost() != null) {
          failedCost = failedCost.add(r.cost());
        }
      }
    }
    long[] took = java.util.Arrays.copyOf(successMillis, successes);
    java.util.Arrays.sort(took);

    BigDecimal usageAfter = totalUsage();
    BigDecimal billed = usageAfter.subtract(usageBefore);
    HttpResponse<String> reconciliation =
        get(gateway + "/api/v1/operator/reconciliation", operatorToken);
    Object books = Json.path(Json.object(reconciliation.body()), "data");
    boolean clean = Boolean.TRUE.equals(Json.path(books, "clean"));

    List<BreakerSample> transitions;
    synchronized (breaker) {
      transitions = new ArrayList<>(breaker);
    }
    boolean opened = false;
    boolean closedAfterOpen = false;
    for (BreakerSample s : transitions) {
      opened |= s.state() == 2;
      closedAfterOpen |= opened && s.state() == 0;
    }

    int total = results.length;
    boolean enoughSuccess = (long) counts.get(Outcome.SUCCESS) * 1000 >= 999L * total;
    boolean noTruncation = counts.get(Outcome.TRUNCATED) == 0 && counts.get(Outcome.CORRUPT) == 0;
    boolean booksMatch = billed.compareTo(successCost) == 0;

    StringBuilder s = new StringBuilder();
    line(s, "## Soak run");
    line(s, "");
    line(
        s,
        "%d requests (%d streamed, %d not) with %d workers in %.1f s (%.0f requests/s)",
        total, streamed, total - streamed, concurrency, tookMillis / 1000.0,
        total * 1000.0 / tookMillis);
    line(s, "");
    line(s, "| outcome | requests |");
    line(s, "|---|---:|");
    for (Outcome o : Outcome.values()) {
      line(s, "| %s | %d |", o.label, counts.get(o));
    }
    line(s, "");
    line(s, "- success rate: %s%%", percent(counts.get(Outcome.SUCCESS), total));
    line(s, "- successes by answering provider: %s", successByProvider);
    if (took.length > 0) {
      line(
          s,
          "- time of a successful request: p50 %d ms, p99 %d ms, max %d ms",
          took[took.length / 2], took[(int) Math.min(took.length - 1, took.length * 0.99)],
          took[took.length - 1]);
    }
    line(s, "- upstream attempts (switchboard_upstream_attempts_total): %s", attempts(metrics));
    line(s, "");
    line(s, "Breaker of %s (switchboard_endpoint_breaker_state, polled every %d ms):", watched,
        pollMillis);
    line(s, "");
    if (transitions.isEmpty()) {
      line(s, "- no value seen%s", pollFailures.get() > 0 ? " (" + pollFailures + " polls failed)" : "");
    }
    int shown = 0;
    for (BreakerSample t : transitions) {
      if (shown++ == 80) {
        line(s, "- … %d more transitions", transitions.size() - 80);
        break;
      }
      line(
          s,
          "- %s (+%.1f s) %s",
          LocalTime.ofInstant(Instant.ofEpochMilli(t.atMillis()), ZoneId.systemDefault())
              .format(CLOCK),
          (t.atMillis() - startMillis) / 1000.0,
          stateName(t.state()));
    }
    long openings = transitions.stream().filter(t -> t.state() == 2).count();
    long closings = 0;
    for (int i = 1; i < transitions.size(); i++) {
      if (transitions.get(i).state() == 0 && transitions.get(i - 1).state() != 0) {
        closings++;
      }
    }
    line(s, "");
    line(s, "%d transitions seen: opened %d times, closed again %d times", transitions.size(),
        openings, closings);
    int polls = pollsByState.values().stream().mapToInt(AtomicInteger::get).sum();
    StringBuilder shares = new StringBuilder();
    for (int state = 0; state <= 2; state++) {
      AtomicInteger n = pollsByState.get(state);
      shares.append(shares.length() == 0 ? "" : ", ")
          .append(stateName(state))
          .append(' ')
          .append(percent(n == null ? 0 : n.get(), Math.max(1, polls)))
          .append('%');
    }
    line(s, "Share of the %d polls: %s", polls, shares);
    line(s, "");
    line(s, "Books:");
    line(s, "");
    line(s, "- organization's usage (GET /credits total_usage) before %s, after %s: billed %s",
        usageBefore.toPlainString(), usageAfter.toPlainString(), billed.toPlainString());
    line(s, "- sum of usage.cost of the successful answers: %s", successCost.toPlainString());
    line(s, "- sum of usage.cost reported with failed answers: %s", failedCost.toPlainString());
    line(s, "- GET /operator/reconciliation: clean %s, overage_requests %s", clean,
        Json.path(books, "overage_requests"));
    if (!failures.isEmpty()) {
      line(s, "");
      line(s, "Requests that did not succeed (first 30 of %d; all in failures.txt):",
          failures.size());
      line(s, "");
    }
    StringBuilder all = new StringBuilder();
    int listed = 0;
    for (Result r : failures) {
      String text =
          String.format(
              Locale.ROOT,
              "#%d %s %s status %d provider %s after %d ms: %s",
              r.index(), r.stream() ? "stream" : "whole", r.outcome(), r.status(), r.provider(),
              r.millis(), r.detail());
      all.append(text).append('\n');
      if (listed++ < 30) {
        line(s, "- %s", text);
      }
    }
    line(s, "");
    line(s, "Checks:");
    line(s, "");
    check(s, enoughSuccess, "at least 99.9%% succeed: %d of %d (%s%%)",
        counts.get(Outcome.SUCCESS), total, percent(counts.get(Outcome.SUCCESS), total));
    check(s, noTruncation, "no truncated success: %d truncated, %d corrupt",
        counts.get(Outcome.TRUNCATED), counts.get(Outcome.CORRUPT));
    check(s, opened && closedAfterOpen, "the breaker of %s opened (2) and later closed (0)",
        watched);
    check(s, booksMatch, "usage billed equals the sum of the successful answers' cost (%s = %s)",
        billed.toPlainString(), successCost.toPlainString());
    check(s, clean, "the ledger reconciles (GET /operator/reconciliation clean)");
    boolean pass = enoughSuccess && noTruncation && opened && closedAfterOpen && booksMatch && clean;

    Files.writeString(out.resolve("failures.txt"), all.toString());
    Files.writeString(out.resolve("soak.md"), s.toString());
    System.out.print(s);
    System.exit(pass ? 0 : 1);
  }

  private static void check(StringBuilder s, boolean ok, String format, Object... args) {
    line(s, "- %s %s", ok ? "PASS" : "FAIL", String.format(Locale.ROOT, format, args));
  }

  private static void line(StringBuilder s, String format, Object... args) {
    s.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  /** Upstream attempts by provider and outcome, from the metrics text. */
  private static Map<String, Long> attempts(String metrics) {
    Map<String, Long> byLabel = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("switchboard_upstream_attempts_total{")) {
        continue;
      }
      String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
      String provider = label(labels, "provider");
      String outcome = label(labels, "outcome");
      long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      if (value > 0) {
        byLabel.put(provider + " " + outcome, value);
      }
    }
    return byLabel;
  }

  private static String label(String labels, String name) {
    int at = labels.indexOf(name + "=\"");
    if (at < 0) {
      return "?";
    }
    int from = at + name.length() + 2;
    return labels.substring(from, labels.indexOf('"', from));
  }

  private static String percent(int part, int whole) {
    return new BigDecimal(part)
        .multiply(BigDecimal.valueOf(100))
        .divide(new BigDecimal(whole), 3, java.math.RoundingMode.DOWN)
        .toPlainString();
  }

  private static String tally(Map<Outcome, AtomicInteger> running) {
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      AtomicInteger n = running.get(o);
      if (n != null) {
        shown.put(o.name().toLowerCase(Locale.ROOT), n.get());
      }
    }
    return shown.toString();
  }

  private static void log(String format, Object... args) {
    System.err.println(
        "[" + LocalTime.now().format(CLOCK) + "] " + String.format(Locale.ROOT, format, args));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String abbreviate(String text) {
    String flat = text.replace('\n', ' ');
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }

  /** The simulator's token rule: a run of letters/digits, or one other non-space character. */
  static int tokens(String text) {
    int tokens = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        if (!inWord) {
          tokens++;
        }
        inWord = true;
      } else {
        inWord = false;
        if (!Character.isWhitespace(cp)) {
          tokens++;
        }
      }
    }
    return tokens;
  }

  private static String quote(String text) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }

  /**
   * A small JSON reader (the single-file launcher has no libraries): objects as maps, arrays as
   * lists, numbers as BigDecimal read from their exact text, so money is compared exactly.
   */
  static final class Json {
    private final String text;
    private int at;

    private Json(String text) {
      this.text = text;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
      Json json = new Json(text);
      Object value = json.value();
      json.space();
      if (json.at != text.length() || !(value instanceof Map)) {
        throw new IllegalArgumentException("not one JSON object");
      }
      return (Map<String, Object>) value;
    }

    /** Follows keys (strings) and indexes (ints); null when any step is missing. */
    static Object path(Object node, Object... steps) {
      Object current = node;
      for (Object step : steps) {
        if (step instanceof String name && current instanceof Map<?, ?> map) {
          current = map.get(name);
        } else if (step instanceof Integer index && current instanceof List<?> list) {
          current = index < list.size() ? list.get(index) : null;
        } else {
          return null;
        }
      }
      return current;
    }

    static String string(Object node) {
      return node instanceof String s ? s : null;
    }

    static BigDecimal number(Object node) {
      return node instanceof BigDecimal n ? n : null;
    }

    private Object value() {
      space();
      if (at >= text.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      char c = text.charAt(at);
      switch (c) {
        case '{':
          return objectValue();
        case '[':
          return arrayValue();
        case '"':
          return stringValue();
        case 't':
          expect("true");
          return Boolean.TRUE;
        case 'f':
          expect("false");
          return Boolean.FALSE;
        case 'n':
          expect("null");
          return null;
        default:
          return numberValue();
      }
    }

    private Map<String, Object> objectValue() {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      space();
      if (peek() == '}') {
        at++;
        return map;
      }
      while (true) {
        space();
        String name = stringValue();
        space();
        if (text.charAt(at++) != ':') {
          throw new IllegalArgumentException("expected ':' at " + at);
        }
        map.put(name, value());
        space();
        char c = text.charAt(at++);
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or '}' at " + at);
        }
      }
    }

    private List<Object> arrayValue() {
      List<Object> list = new ArrayList<>();
      at++;
      space();
      if (peek() == ']') {
        at++;
        return list;
      }
      while (true) {
        list.add(value());
        space();
        char c = text.charAt(at++);
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or ']' at " + at);
        }
      }
    }

    private String stringValue() {
      if (text.charAt(at) != '"') {
        throw new IllegalArgumentException("expected a string at " + at);
      }
      at++;
      StringBuilder s = new StringBuilder();
      while (true) {
        char c = text.charAt(at++);
        if (c == '"') {
          return s.toString();
        }
        if (c != '\\') {
          s.append(c);
          continue;
        }
        char e = text.charAt(at++);
        switch (e) {
          case 'n' -> s.append('\n');
          case 't' -> s.append('\t');
          case 'r' -> s.append('\r');
          case 'b' -> s.append('\b');
          case 'f' -> s.append('\f');
          case 'u' -> {
            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> s.append(e);
        }
      }
    }

    private BigDecimal numberValue() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      if (start == at) {
        throw new IllegalArgumentException("unexpected '" + text.charAt(at) + "' at " + at);
      }
      return new BigDecimal(text.substring(start, at));
    }

    private void expect(String word) {
      if (!text.startsWith(word, at)) {
        throw new IllegalArgumentException("expected " + word + " at " + at);
      }
      at += word.length();
    }

    private char peek() {
      return at < text.length() ? text.charAt(at) : '\0';
    }

    private void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }
}
