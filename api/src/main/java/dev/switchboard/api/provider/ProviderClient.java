package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.catalog.CatalogProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The only class that talks to providers. One {@link HttpClient} per provider (its own connection
 * pool), asynchronous throughout: no request thread waits on a provider. Streams are read as they
 * arrive and handed on event by event, with backpressure, and watched for stalls.
 */
public final class ProviderClient implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ProviderClient.class.getName());

  /** How long to wait, for what. */
  public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {}

  private final ConcurrentHashMap<String, HttpClient> clients = new ConcurrentHashMap<>();

  /**
   * Threads that deliver providers' answers and run what follows from them (decoding, relaying to
   * the client, settlement): none of that blocks (client writes are non-blocking), so a few threads
   * per core serve any number of streams, and a flood cannot grow the pool without bound.
   */
  private static final int UPSTREAM_THREADS =
      Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  /** Threads that check an organization's base URL, which may mean a (blocking) name look-up. */
  private static final int RESOLVER_THREADS = 4;

  private final ExecutorService executor;
  private final ExecutorService resolver;
  private final ScheduledExecutorService watchdog;
  private final Timeouts timeouts;
  private final PinnedConnections organizationUrls;

  /** A client that calls organizations' own base URLs under the default address rules. */
  public ProviderClient(Timeouts timeouts) {
    this(timeouts, BaseUrlGuard.configured(Optional.empty()));
  }

  /** A client that calls organizations' own base URLs with the JVM's default TLS. */
  public ProviderClient(Timeouts timeouts, BaseUrlGuard organizationUrls) {
    this(timeouts, organizationUrls, defaultTls());
  }

  /**
   * @param organizationUrls the rules an organization's own base URL must pass at each call
   * @param tls the TLS of calls to organizations' own base URLs
   */
  public ProviderClient(Timeouts timeouts, BaseUrlGuard organizationUrls, SSLContext tls) {
    this.timeouts = timeouts;
    this.executor = Executors.newFixedThreadPool(UPSTREAM_THREADS, named("switchboard-upstream-"));
    this.resolver = Executors.newFixedThreadPool(RESOLVER_THREADS, named("switchboard-resolve-"));
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-stream-watchdog");
              t.setDaemon(true);
              return t;
            });
    this.organizationUrls =
        new PinnedConnections(organizationUrls, tls, timeouts.connect(), executor);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger threads = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS", e);
    }
  }

  /**
   * A non-streamed call: the answer in the OpenAI shape, or a {@link ProviderException}. Its
   * headers must come within the first-byte timeout and the whole of it within the idle timeout
   * after that (a body that stalls after its headers is a timeout, not a wait of the total
   * timeout).
   */
  public CompletableFuture<ObjectNode> complete(WireFormat wire, ProviderCall call) {
    return send(wire, call, HttpResponse.BodyHandlers.ofByteArray())
        .orTimeout(timeouts.firstByte().plus(timeouts.idle()).toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(new ProviderException(classify(failure)));
              }
              if (response.statusCode() / 100 != 2) {
                throw new CompletionException(
                    new ProviderException(
                        wire.fromError(
                            response.statusCode(), response.headers(), response.body())));
              }
              try {
                return wire.fromResponse(call, response.body());
              } catch (ProviderException e) {
                throw new CompletionException(e);
              }
            });
  }

  /** A streamed call, delivered to {@code listener}; cancel the handle to close the connection. */
  public StreamHandle stream(WireFormat wire, ProviderCall call, StreamListener listener) {
    UpstreamStream stream = new UpstreamStream(wire.streamDecoder(call), listener);
    send(
            wire,
            call,
            info -> {
              if (info.statusCode() / 100 == 2) {
                return HttpResponse.BodySubscribers.fromSubscriber(stream);
              }
              return HttpResponse.BodySubscribers.mapping(
                  HttpResponse.BodySubscribers.ofByteArray(),
                  body -> {
                    stream.fail(wire.fromError(info.statusCode(), info.headers(), body));
                    return null;
                  });
            })
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                stream.fail(classify(failure));
              }
            });
    return stream;
  }

  /**
   * Sends through the provider's client, or for an organization's own base URL through a connection
   * pinned to the address its host was checked at (the check, which may look the name up, runs on
   * the resolver's threads).
   */
  private <T> CompletableFuture<HttpResponse<T>> send(
      WireFormat wire, ProviderCall call, HttpResponse.BodyHandler<T> handler) {
    if (!call.organizationBaseUrl()) {
      return client(call.provider()).sendAsync(request(wire, call), handler);
    }
    return CompletableFuture.supplyAsync(
            () -> organizationUrls.pin(call.provider().baseUrl(), () -> request(wire, call)),
            resolver)
        .thenCompose(pinned -> pinned.client().sendAsync(pinned.request(), handler));
  }

  private HttpRequest request(WireFormat wire, ProviderCall call) {
    return withTimeout(wire.toHttpRequest(call), timeouts.firstByte());
  }

  private HttpClient client(CatalogProvider provider) {
    return clients.computeIfAbsent(
        provider.slug(),
        slug ->
            HttpClient.newBuilder()
                // plain-HTTP providers (local, simulated) speak HTTP/1.1; h2c upgrades only cost a
                // round trip
                .version(
                    "https".equals(provider.baseUrl().getScheme())
                        ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build());
  }

  private static HttpRequest withTimeout(HttpRequest request, Duration timeout) {
    return HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
  }

  /**
   * Any failure of a provider call (possibly wrapped by a CompletableFuture) as a classified error:
   * the one place that decides what a transport failure means.
   */
  public static ProviderError classify(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ProviderException provider) {
      return provider.error();
    }
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return ProviderError.of(
          ProviderError.Kind.CONNECTION, 0, "could not connect to the provider");
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return ProviderError.of(ProviderError.Kind.TIMEOUT, 0, "the provider did not answer in time");
    }
    // the exception's own text (the JDK's, naming parsers, addresses or URLs) is for the log, never
    // for the client, whose message this becomes
    LOG.log(Level.FINE, "a provider call failed", cause);
    if (cause instanceof IOException) {
      return ProviderError.of(
          ProviderError.Kind.CONNECTION, 0, "the connection to the provider failed");
    }
    return ProviderError.of(ProviderError.Kind.CONNECTION, 0, "the provider call failed");
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    resolver.shutdownNow();
    executor.shutdownNow();
  }

  /** One upstream stream: SSE parsing, decoding, backpressure, stall detection, cancellation. */
  private final class UpstreamStream implements Flow.Subscriber<List<ByteBuffer>>, StreamHandle {
    private final SseParser parser = new SseParser();
    private final StreamDecoder decoder;
    private final StreamListener listener;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Flow.Subscription subscription;
    private final long started = System.nanoTime();
    private volatile long lastActivity = started;
    private volatile ScheduledFuture<?> stallCheck;

    UpstreamStream(StreamDecoder decoder, StreamListener listener) {
      this.decoder = decoder;
      this.listener = listener;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
        return;
      }
      long period = Math.max(100, timeouts.idle().toMillis() / 4);
      stallCheck =
          watchdog.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.MILLISECONDS);
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      lastActivity = System.nanoTime();
      if (finished.get()) {
        return;
      }
      List<StreamEvent> events = new ArrayList<>();
      try {
        for (ByteBuffer buffer : buffers) {
          for (SseEvent event : parser.feed(buffer)) {
            events.addAll(decoder.decode(event));
          }
        }
        if (!events.isEmpty()) {
          listener.onEvents(events);
        }
      } catch (ProviderException e) {
        // what was decoded before the unreadable event still reaches the client (and the bill)
        if (!events.isEmpty()) {
          listener.onEvents(events);
        }
        fail(e.error());
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "relaying a provider stream failed", e);
        fail(
            ProviderError.of(
                ProviderError.Kind.MALFORMED_RESPONSE, 0, "the provider's stream was unreadable"));
        return;
      }
      if (!finished.get() && !cancelled) {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable failure) {
      fail(classify(failure));
    }

    @Override
    public void onComplete() {
      if (finished.get()) {
        return;
      }
      try {
        List<StreamEvent> events = new ArrayList<>();
        for (SseEvent event : parser.finish()) {
          events.addAll(decoder.decode(event));
        }
        if (!events.isEmpty()) {
          listener.onEvents(events);
        }
      } catch (ProviderException e) {
        fail(e.error());
        return;
      }
      if (finished.compareAndSet(false, true)) {
        stopWatching();
        listener.onEnd();
      }
    }

    void fail(ProviderError error) {
      if (finished.compareAndSet(false, true)) {
        stopWatching();
        cancelUpstream();
        listener.onFailure(error);
      }
    }

    private void checkStall() {
      if (System.nanoTime() - started > timeouts.total().toNanos()) {
        fail(
            ProviderError.of(
                ProviderError.Kind.TIMEOUT,
                0,
                "the provider's stream ran longer than "
                    + timeouts.total().toMinutes()
                    + " minutes"));
        return;
      }
      if (System.nanoTime() - lastActivity > timeouts.idle().toNanos()) {
        fail(
            ProviderError.of(
                ProviderError.Kind.TIMEOUT,
                0,
                "the provider's stream stalled (no data for "
                    + timeouts.idle().toMillis()
                    + " ms)"));
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      if (finished.compareAndSet(false, true)) {
        stopWatching();
        cancelUpstream();
      }
    }

    private void cancelUpstream() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    private void stopWatching() {
      ScheduledFuture<?> check = stallCheck;
      if (check != null) {
        check.cancel(false);
      }
    }
  }
}
