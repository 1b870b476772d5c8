package dev.switchboard.simulator;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A fake LLM provider speaking the OpenAI, Anthropic and Gemini wire formats on one port. The first
 * path segment names the simulated provider ({@code /acme/v1/chat/completions}), which scopes fault
 * configuration and request recording. Thread-safe; start with {@link #start}, stop with {@link
 * #close}.
 */
public final class ProviderSimulator implements AutoCloseable {
  private static final int BACKLOG = 1024;

  static {
    // Without TCP_NODELAY small SSE chunks can sit in Nagle's buffer for ~40 ms, distorting TTFT
    // and
    // throughput. The JDK server reads this once, so it only helps if set before its first use; an
    // explicit
    // setting by the embedding application wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final ShutdownSignal shutdown;
  private final RequestRecorder recorder;
  private final ProviderFaultRegistry faults;
  private final String baseUrl;
  private final int port;

  private ProviderSimulator(
      HttpServer server,
      ExecutorService executor,
      ShutdownSignal shutdown,
      RequestRecorder recorder,
      ProviderFaultRegistry faults,
      String scheme,
      String host) {
    this.server = server;
    this.executor = executor;
    this.shutdown = shutdown;
    this.recorder = recorder;
    this.faults = faults;
    this.port = server.getAddress().getPort();
    this.baseUrl = scheme + "://" + host + ":" + port;
  }

  /**
   * Binds and starts serving.
   *
   * @param bindHost interface to bind, e.g. {@code 127.0.0.1}; a wildcard address is advertised in
   *     {@link #baseUrl()} as {@code 127.0.0.1}
   * @param port port to bind, 0 for an ephemeral one
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ProviderSimulator start(String bindHost, int port) {
    Objects.requireNonNull(bindHost, "bindHost");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindHost, port), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind simulator to " + bindHost + ":" + port, e);
    }
    return serve(server, "http", advertisedHost(bindHost));
  }

  /**
   * Binds and starts serving HTTPS with {@code certificate}, advertising its host name in {@link
   * #baseUrl()} ({@code https://<name>:<port>}): a provider an organization's own base URL may
   * point to.
   */
  public static ProviderSimulator startTls(
      String bindHost, int port, SelfSignedCertificate certificate) {
    Objects.requireNonNull(bindHost, "bindHost");
    HttpsServer server;
    try {
      server = HttpsServer.create(new InetSocketAddress(bindHost, port), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind simulator to " + bindHost + ":" + port, e);
    }
    SSLContext tls = certificate.serverContext();
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return serve(server, "https", certificate.hostName());
  }

  private static ProviderSimulator serve(HttpServer server, String scheme, String host) {
    ShutdownSignal shutdown = new ShutdownSignal();
    RequestRecorder recorder = new RequestRecorder();
    ProviderFaultRegistry faults = new ProviderFaultRegistry();
    // A cached pool: stalled or slow streams each hold a thread, and must never starve other
    // requests.
    ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
    server.setExecutor(executor);
    server.createContext(
        "/",
        new Router(
            new CompletionEndpoint(recorder, faults, shutdown),
            new AdminEndpoint(recorder, faults)));
    server.start();
    return new ProviderSimulator(server, executor, shutdown, recorder, faults, scheme, host);
  }

  public int port() {
    return port;
  }

  /** {@code http://host:port} (or {@code https://name:port}), without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Sets the faults every request to {@code provider} gets (per-request {@code x-sim-*} headers
   * override them field by field). Replaces any previous config and restarts its failNextRequests
   * count; null clears.
   */
  public void setProviderFaults(String provider, FaultSpec faults) {
    this.faults.set(Objects.requireNonNull(provider, "provider"), faults);
  }

  /**
   * The last {@value RequestRecorder#CAPACITY_PER_PROVIDER} requests to {@code provider}, most
   * recent last.
   */
  public List<RecordedRequest> recordedRequests(String provider) {
    return recorder.recorded(provider);
  }

  public void clearRecordedRequests() {
    recorder.clear();
  }

  /**
   * Stops accepting requests, wakes every delayed or stalled exchange (dropping its connection),
   * and returns.
   */
  @Override
  public void close() {
    if (shutdown.fired()) {
      return;
    }
    shutdown.fire();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String advertisedHost(String bindHost) {
    if ("0.0.0.0".equals(bindHost) || "::".equals(bindHost) || "[::]".equals(bindHost)) {
      return "127.0.0.1";
    }
    return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "simulator-worker-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
