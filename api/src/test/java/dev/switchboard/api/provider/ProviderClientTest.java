package dev.switchboard.api.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError.Kind;
import dev.switchboard.api.provider.openai.OpenAiFixtures;
import dev.switchboard.api.provider.openai.OpenAiWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider client against a tiny in-test HTTP server speaking the OpenAI wire format. */
class ProviderClientTest {

  private static final String UPSTREAM_MODEL = "gpt-4o-mini-2024-07-18";
  private static final String API_KEY = "sk-test-1234";
  private static final ProviderClient.Timeouts RELAXED =
      new ProviderClient.Timeouts(
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  private final OpenAiWire wire = new OpenAiWire();
  private final ExecutorService serverThreads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-provider");
            t.setDaemon(true);
            return t;
          });

  /** Frees handlers that hold a connection open. */
  private final CountDownLatch release = new CountDownLatch(1);

  private final CompletableFuture<Received> received = new CompletableFuture<>();
  private HttpServer server;
  private ServerSocket rawServer;
  private ProviderClient client;

  /** The request the test server received. */
  private record Received(
      String method, String path, String authorization, String accept, JsonNode body) {}

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
    if (rawServer != null) {
      rawServer.close();
    }
    serverThreads.shutdownNow();
  }

  // ---- fixtures ---------------------------------------------------------------------------------

  private String serve(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.complete(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Accept"),
                  Json.MAPPER.readTree(body)));
          try {
            handler.handle(exchange);
          } finally {
            exchange.close();
          }
        });
    server.setExecutor(serverThreads);
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private static HttpHandler respond(
      int status, String contentType, byte[] body, String... headers) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", contentType);
      for (int i = 0; i < headers.length; i += 2) {
        exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  /** Starts an event stream: 200, chunked, {@code text/event-stream}. */
  private static OutputStream startStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void writeEvent(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String contentChunk(String content) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
        + UPSTREAM_MODEL
        + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}";
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ProviderCall call(String baseUrl, boolean stream) {
    return ProviderCalls.openAi(baseUrl, API_KEY, UPSTREAM_MODEL, stream);
  }

  private ProviderClient client(ProviderClient.Timeouts timeouts) {
    client = new ProviderClient(timeouts);
    return client;
  }

  private static ProviderError failureOf(CompletableFuture<ObjectNode> future) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    assertThat(e).as("the call should have failed").isNotNull();
    assertThat(e.getCause()).isInstanceOf(ProviderException.class);
    return ((ProviderException) e.getCause()).error();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Records a stream's deliveries. */
  private static final class RecordingListener implements StreamListener {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final CompletableFuture<Void> firstEvents = new CompletableFuture<>();
    final CompletableFuture<ProviderError> failure = new CompletableFuture<>();
    final CompletableFuture<Void> end = new CompletableFuture<>();

    /** Completes with the failure, or with null at the end. */
    final CompletableFuture<ProviderError> outcome = new CompletableFuture<>();

    @Override
    public void onEvents(List<StreamEvent> batch) {
      calls.incrementAndGet();
      events.addAll(batch);
      firstEvents.complete(null);
    }

    @Override
    public void onFailure(ProviderError error) {
      calls.incrementAndGet();
      failure.complete(error);
      outcome.complete(error);
    }

    @Override
    public void onEnd() {
      calls.incrementAndGet();
      end.complete(null);
      outcome.complete(null);
    }

    ProviderError awaitFailure() throws Exception {
      ProviderError error = outcome.get(10, TimeUnit.SECONDS);
      assertThat(error).as("the stream should have failed, not ended").isNotNull();
      return error;
    }
  }

  // ---- complete ---------------------------------------------------------------------------------

  @Test
  void completeReturnsTheAnswerOfA200AndSendsTheMappedRequest() throws Exception {
    String base =
        serve(respond(200, "application/json", OpenAiFixtures.bytes("response-text.json")));

    ObjectNode answer = client(RELAXED).complete(wire, call(base, false)).get(10, TimeUnit.SECONDS);

    assertThat(answer.at("/choices/0/message/content").asText())
        .isEqualTo("Hello! How can I assist you today?");
    assertThat(answer.at("/choices/0/native_finish_reason").asText()).isEqualTo("stop");
    Received request = received.get(5, TimeUnit.SECONDS);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.authorization()).isEqualTo("Bearer " + API_KEY);
    assertThat(request.accept()).isEqualTo("application/json");
    assertThat(request.body())
        .isEqualTo(
            OpenAiFixtures.json(
                """
                {"model":"gpt-4o-mini-2024-07-18","max_tokens":64,
                 "messages":[{"role":"user","content":"Say hello."}]}
                """));
  }

  @Test
  void completeFailsWithTheClassifiedErrorOfA4xx() throws Exception {
    String base =
        serve(respond(400, "application/json", OpenAiFixtures.bytes("error-context-length.json")));

    ProviderError error = failureOf(client(RELAXED).complete(wire, call(base, false)));

    assertThat(error.kind()).isEqualTo(Kind.CONTEXT_LENGTH);
    assertThat(error.upstreamStatus()).isEqualTo(400);
    assertThat(error.retryable()).isFalse();
  }

  @Test
  void completeFailsWithARetryableErrorAndItsRetryAfterOnA5xx() throws Exception {
    String base =
        serve(
            respond(
                503,
                "application/json",
                OpenAiFixtures.bytes("error-overloaded.json"),
                "Retry-After",
                "2"));

    ProviderError error = failureOf(client(RELAXED).complete(wire, call(base, false)));

    assertThat(error)
        .isEqualTo(
            new ProviderError(
                Kind.UNAVAILABLE,
                503,
                "The engine is currently overloaded, please try again later",
                Duration.ofSeconds(2),
                true));
  }

  @Test
  void completeFailsWithAMalformedResponseWhenA200IsNotJson() throws Exception {
    String base = serve(respond(200, "text/html", OpenAiFixtures.bytes("error-bad-gateway.html")));

    ProviderError error = failureOf(client(RELAXED).complete(wire, call(base, false)));

    assertThat(error.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
  }

  @Test
  void aTransportFailureIsDescribedWithoutTheExceptionsOwnText() {
    ProviderError reset =
        ProviderClient.classify(
            new java.util.concurrent.CompletionException(
                new IOException("HTTP/1.1 header parser received no bytes")));
    ProviderError odd =
        ProviderClient.classify(new IllegalStateException("selector closed at /10.1.2.3:443"));

    assertThat(reset.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(reset.message()).isEqualTo("the connection to the provider failed");
    assertThat(odd.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(odd.message()).isEqualTo("the provider call failed");
  }

  @Test
  void completeFailsWithConnectionWhenNothingListens() throws Exception {
    String base = "http://127.0.0.1:" + closedPort() + "/v1";

    ProviderError error = failureOf(client(RELAXED).complete(wire, call(base, false)));

    assertThat(error.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(error.retryable()).isTrue();
    assertThat(error.clientStatus()).isEqualTo(502);
  }

  @Test
  void completeTimesOutWithinTheFirstByteTimeoutWhenTheServerNeverAnswers() throws Exception {
    String base = serve(exchange -> awaitRelease());
    ProviderClient.Timeouts timeouts =
        new ProviderClient.Timeouts(
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30));

    long start = System.nanoTime();
    ProviderError error = failureOf(client(timeouts).complete(wire, call(base, false)));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(error.clientStatus()).isEqualTo(504);
    assertThat(waited).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
  }

  @Test
  void completeTimesOutWhenTheBodyStallsAfterTheHeaders() throws Exception {
    String base =
        serve(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, 0);
              exchange.getResponseBody().write("{\"id\":".getBytes(StandardCharsets.UTF_8));
              exchange.getResponseBody().flush();
              awaitRelease();
            });
    ProviderClient.Timeouts timeouts =
        new ProviderClient.Timeouts(
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            Duration.ofMillis(300),
            Duration.ofSeconds(30));

    long start = System.nanoTime();
    ProviderError error = failureOf(client(timeouts).complete(wire, call(base, false)));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(waited).isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
  }

  // ---- stream -----------------------------------------------------------------------------------

  @Test
  void streamDeliversTheDecodedEventsThenEnds() throws Exception {
    byte[] transcript = OpenAiFixtures.bytes("stream-text.sse");
    String base =
        serve(
            exchange -> {
              OutputStream out = startStream(exchange);
              // two writes that split an event in the middle, as a network would
              out.write(transcript, 0, 500);
              out.flush();
              out.write(transcript, 500, transcript.length - 500);
              out.flush();
            });
    RecordingListener listener = new RecordingListener();

    client(RELAXED).stream(wire, call(base, true), listener);

    assertThat(listener.outcome.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(listener.events).hasSize(13);
    assertThat(listener.events.get(11)).isInstanceOf(StreamEvent.Usage.class);
    assertThat(listener.events.get(12)).isEqualTo(new StreamEvent.Done());
    Received request = received.get(5, TimeUnit.SECONDS);
    assertThat(request.accept()).isEqualTo("text/event-stream");
    assertThat(request.body().get("stream").asBoolean()).isTrue();
    assertThat(request.body().at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void streamFailsWithTheClassifiedErrorOfAnErrorStatus() throws Exception {
    String base =
        serve(
            respond(
                429,
                "application/json",
                OpenAiFixtures.bytes("error-rate-limit.json"),
                "Retry-After",
                "20"));
    RecordingListener listener = new RecordingListener();

    client(RELAXED).stream(wire, call(base, true), listener);

    ProviderError error = listener.awaitFailure();
    assertThat(error.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(listener.events).isEmpty();
  }

  @Test
  void streamFailsWithConnectionWhenNothingListens() throws Exception {
    String base = "http://127.0.0.1:" + closedPort() + "/v1";
    RecordingListener listener = new RecordingListener();

    client(RELAXED).stream(wire, call(base, true), listener);

    assertThat(listener.awaitFailure().kind()).isEqualTo(Kind.CONNECTION);
  }

  @Test
  void streamTimesOutWithinTheFirstByteTimeoutWhenTheServerNeverAnswers() throws Exception {
    String base = serve(exchange -> awaitRelease());
    ProviderClient.Timeouts timeouts =
        new ProviderClient.Timeouts(
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30));
    RecordingListener listener = new RecordingListener();

    long start = System.nanoTime();
    client(timeouts).stream(wire, call(base, true), listener);
    ProviderError error = listener.awaitFailure();
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(waited).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
  }

  @Test
  void streamThatStallsFailsWithTimeoutOnceTheIdleTimeoutPasses() throws Exception {
    String base =
        serve(
            exchange -> {
              OutputStream out = startStream(exchange);
              writeEvent(out, contentChunk("Hello"));
              awaitRelease();
            });
    ProviderClient.Timeouts timeouts =
        new ProviderClient.Timeouts(
            Duration.ofSeconds(2),
            Duration.ofSeconds(20),
            Duration.ofMillis(400),
            Duration.ofSeconds(30));
    RecordingListener listener = new RecordingListener();

    client(timeouts).stream(wire, call(base, true), listener);
    listener.firstEvents.get(10, TimeUnit.SECONDS);
    long firstData = System.nanoTime();
    ProviderError error = listener.awaitFailure();
    Duration stalledFor = Duration.ofNanos(System.nanoTime() - firstData);

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(error.message()).contains("stalled");
    assertThat(error.retryable()).isTrue();
    assertThat(stalledFor).isBetween(Duration.ofMillis(350), Duration.ofSeconds(5));
    assertThat(listener.events).hasSize(1);
    assertThat(listener.end).isNotDone();
  }

  @Test
  void streamThatEndsBeforeDoneEndsWithoutADoneEvent() throws Exception {
    String base =
        serve(
            exchange -> {
              OutputStream out = startStream(exchange);
              writeEvent(out, contentChunk("Once"));
              writeEvent(out, contentChunk(" upon"));
            });
    RecordingListener listener = new RecordingListener();

    client(RELAXED).stream(wire, call(base, true), listener);

    assertThat(listener.outcome.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(listener.events).hasSize(2).allMatch(StreamEvent.Chunk.class::isInstance);
    assertThat(listener.failure).isNotDone();
  }

  @Test
  void streamWhoseConnectionIsCutMidBodyNeverReportsDone() throws Exception {
    rawServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    serverThreads.execute(
        () -> {
          try (Socket socket = rawServer.accept()) {
            InputStream in = socket.getInputStream();
            readRequestHead(in);
            String event = "data: " + contentChunk("Once") + "\n\n";
            byte[] chunk = event.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(
                ("HTTP/1.1 200 OK\r\n"
                        + "Content-Type: text/event-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(chunk.length)
                        + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the connection drops without the terminating zero-length chunk
          } catch (IOException e) {
            // the test fails on its own assertions
          }
        });
    RecordingListener listener = new RecordingListener();

    client(RELAXED).stream(
        wire, call("http://127.0.0.1:" + rawServer.getLocalPort() + "/v1", true), listener);

    ProviderError error = listener.outcome.get(10, TimeUnit.SECONDS);
    assertThat(listener.events).hasSize(1).noneMatch(StreamEvent.Done.class::isInstance);
    assertThat(error).as("a cut connection is a failure").isNotNull();
    assertThat(error.kind()).isEqualTo(Kind.CONNECTION);
  }

  private static void readRequestHead(InputStream in) throws IOException {
    // headers end with an empty line; the body's length is not needed, the test never reads it
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Test
  void streamFailsWithMalformedResponseAfterRelayingTheEventsBeforeAnUnreadableOne()
      throws Exception {
    String base =
        serve(
            exchange -> {
              OutputStream out = startStream(exchange);
              out.write(
                  ("data: " + contentChunk("Hi") + "\n\ndata: {not json\n\n")
                      .getBytes(StandardCharsets.UTF_8));
              out.flush();
            });
    RecordingListener listener = new RecordingListener();

    client(RELAXED).stream(wire, call(base, true), listener);

    assertThat(listener.awaitFailure().kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(listener.events).hasSize(1);
  }

  @Test
  void cancellingAStreamStopsDeliveryAndClosesTheConnection() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    CompletableFuture<Boolean> serverSawDisconnect = new CompletableFuture<>();
    String base =
        serve(
            exchange -> {
              OutputStream out = startStream(exchange);
              writeEvent(out, contentChunk("first"));
              try {
                cancelled.await(10, TimeUnit.SECONDS);
                // keep writing until the cancelled client's closed connection refuses the data
                for (int i = 0; i < 100_000; i++) {
                  writeEvent(out, contentChunk("more"));
                }
                serverSawDisconnect.complete(false);
              } catch (IOException e) {
                serverSawDisconnect.complete(true);
                throw e;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    RecordingListener listener = new RecordingListener();

    StreamHandle handle = client(RELAXED).stream(wire, call(base, true), listener);
    listener.firstEvents.get(10, TimeUnit.SECONDS);
    handle.cancel();
    cancelled.countDown();

    assertThat(serverSawDisconnect.get(10, TimeUnit.SECONDS))
        .as("the server's writes fail once the client closed the connection")
        .isTrue();
    assertThat(listener.calls).hasValue(1);
    assertThat(listener.events).hasSize(1);
    assertThat(listener.outcome).isNotDone();
  }
}
