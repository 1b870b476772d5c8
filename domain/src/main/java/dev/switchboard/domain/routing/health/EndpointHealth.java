package dev.switchboard.domain.routing.health;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health of every endpoint this instance has sent traffic to: one call per attempt's end
 * records it ({@link #succeeded}, {@link #failed}); routing asks {@link #allows} and {@link
 * #state}; the catalog, the metrics and the dashboard read {@link #report}. An endpoint's counters
 * are made on its first attempt and kept; recording is a map read and a few atomic adds.
 */
public final class EndpointHealth {

  private final Clock clock;
  private final BreakerPolicy policy;
  private final ConcurrentHashMap<EndpointId, Endpoint> endpoints = new ConcurrentHashMap<>();

  public EndpointHealth(Clock clock, BreakerPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  /**
   * An attempt answered in full. {@code firstTokenMillis} is negative when nothing was produced
   * before the end; throughput is {@code outputTokens} over the generation time (first token to
   * end), or over the whole latency when the answer came at once.
   */
  public void succeeded(
      EndpointId id,
      long latencyMillis,
      long firstTokenMillis,
      long generationMillis,
      long outputTokens) {
    Endpoint endpoint = endpoint(id);
    long over = generationMillis > 0 ? generationMillis : latencyMillis;
    double tokensPerSecond = over > 0 && outputTokens > 0 ? outputTokens * 1000.0 / over : -1;
    endpoint.stats.success(latencyMillis, firstTokenMillis, tokensPerSecond);
    endpoint.breaker.onSuccess();
    endpoint.version.incrementAndGet();
  }

  /** An attempt failed for a reason that says something about the endpoint. */
  public void failed(EndpointId id) {
    Endpoint endpoint = endpoint(id);
    endpoint.stats.failure();
    endpoint.breaker.onFailure();
    endpoint.version.incrementAndGet();
  }

  /** Whether the endpoint's breaker lets a request through now (half-open: uses up a probe). */
  public boolean allows(EndpointId id) {
    Endpoint endpoint = endpoints.get(id);
    return endpoint == null || endpoint.breaker.allows();
  }

  public BreakerState state(EndpointId id) {
    Endpoint endpoint = endpoints.get(id);
    return endpoint == null ? BreakerState.CLOSED : endpoint.breaker.state();
  }

  /**
   * What the endpoint's recent traffic says; computed at most once per recorded attempt and minute,
   * since a scrape of the metrics reads it for several gauges.
   */
  public EndpointHealthReport report(EndpointId id) {
    Endpoint endpoint = endpoints.get(id);
    if (endpoint == null) {
      return EndpointHealthReport.unknown(BreakerState.CLOSED);
    }
    return endpoint.report();
  }

  private Endpoint endpoint(EndpointId id) {
    Endpoint endpoint = endpoints.get(id);
    return endpoint != null ? endpoint : endpoints.computeIfAbsent(id, any -> new Endpoint());
  }

  private final class Endpoint {
    final EndpointStats stats = new EndpointStats(clock);
    final CircuitBreaker breaker = new CircuitBreaker(policy, clock);
    final AtomicLong version = new AtomicLong();
    volatile Cached cached;

    EndpointHealthReport report() {
      long minute = stats.minute();
      long seen = version.get();
      Cached last = cached;
      BreakerState state = breaker.state();
      if (last != null && last.version == seen && last.minute == minute) {
        return last.report.withBreaker(state);
      }
      EndpointHealthReport fresh = stats.report(state);
      cached = new Cached(seen, minute, fresh);
      return fresh;
    }
  }

  private record Cached(long version, long minute, EndpointHealthReport report) {}
}
