package dev.switchboard.api.metrics;

import dev.switchboard.domain.routing.health.BreakerState;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointHealthReport;
import dev.switchboard.domain.routing.health.EndpointId;
import dev.switchboard.domain.routing.health.Percentiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Request counts, latency and upstream errors, per API and per provider. Metric handles are
 * registered once per label set and kept, so recording on the hot path is a map read and an atomic
 * add.
 *
 * <p>Payara's registry can only register from a thread that carries the application's context, and
 * answers are recorded on the HTTP client's threads: so every label set that can occur is
 * registered up front by {@link #prepare}, on the start-up thread. A label set missed there is
 * registered on first use when the thread allows it, and otherwise not recorded.
 */
@ApplicationScoped
public class GatewayMetrics {

  private static final Metadata REQUESTS =
      Metadata.builder()
          .withName("switchboard_requests")
          .withDescription("Inference requests answered, by API and HTTP status")
          .build();
  private static final Metadata REQUEST_DURATION =
      Metadata.builder()
          .withName("switchboard_request_duration")
          .withDescription("Inference request duration, from arrival to the end of the answer")
          .withUnit(MetricUnits.SECONDS)
          .build();
  private static final Metadata UPSTREAM_ATTEMPTS =
      Metadata.builder()
          .withName("switchboard_upstream_attempts")
          .withDescription("Calls to providers, by provider and outcome (ok or the error kind)")
          .build();
  private static final Metadata UPSTREAM_ERRORS =
      Metadata.builder()
          .withName("switchboard_upstream_errors")
          .withDescription("Failed calls to providers, by provider and error kind")
          .build();
  private static final Metadata TIME_TO_FIRST_TOKEN =
      Metadata.builder()
          .withName("switchboard_time_to_first_token")
          .withDescription("Time from a request's arrival to its first token, by provider")
          .withUnit(MetricUnits.SECONDS)
          .build();

  private static final Metadata OVERAGE_REQUESTS =
      Metadata.builder()
          .withName("switchboard_reservation_overage_requests")
          .withDescription(
              "Requests that cost more than they reserved (the provider reported more than the"
                  + " estimate allowed); billed in full")
          .build();
  private static final Metadata OVERAGE_NANOS =
      Metadata.builder()
          .withName("switchboard_reservation_overage_nanos")
          .withDescription("What those requests cost beyond their reservations, in nano-USD")
          .build();

  private static final Metadata CLIENTS_CUT =
      Metadata.builder()
          .withName("switchboard_slow_clients_cut")
          .withDescription(
              "Clients cut for not reading their answer: more than the buffer waiting for them"
                  + " (reason buffer), or nothing taken for the write timeout (reason timeout)")
          .build();

  private static final Metadata ENDPOINT_SUCCESS =
      Metadata.builder()
          .withName("switchboard_endpoint_success_ratio")
          .withDescription(
              "Share (0-1) of an endpoint's attempts on this instance that did not fail for the"
                  + " endpoint's own reasons, over the window (5m, 30m, 1d); NaN without traffic")
          .build();
  private static final Metadata ENDPOINT_LATENCY =
      Metadata.builder()
          .withName("switchboard_endpoint_latency_seconds")
          .withDescription(
              "Percentiles of an endpoint's successful attempts' duration, last 30 minutes")
          .build();
  private static final Metadata ENDPOINT_FIRST_TOKEN =
      Metadata.builder()
          .withName("switchboard_endpoint_time_to_first_token_seconds")
          .withDescription(
              "Percentiles of an endpoint's time from the attempt's start to its first token,"
                  + " last 30 minutes")
          .build();
  private static final Metadata ENDPOINT_THROUGHPUT =
      Metadata.builder()
          .withName("switchboard_endpoint_throughput_tokens_per_second")
          .withDescription(
              "Output tokens a second an endpoint's answers reached, last 30 minutes: p90 is the"
                  + " speed 90% of answers reached at least")
          .build();
  private static final Metadata ENDPOINT_BREAKER =
      Metadata.builder()
          .withName("switchboard_endpoint_breaker_state")
          .withDescription(
              "An endpoint's circuit breaker on this instance: 0 closed, 1 half-open, 2 open")
          .build();

  private static final Metadata SETTLEMENTS_UNWRITTEN =
      Metadata.builder()
          .withName("switchboard_settlements_unwritten")
          .withDescription(
              "Answered requests whose billing is not in the database yet (durable in this"
                  + " instance's settlement journal, or on its way to it)")
          .build();

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  private static final List<String> CUT_REASONS = List.of("buffer", "timeout");
  private static final List<String> APIS = List.of("chat", "completions", "messages");
  private static final List<Integer> STATUSES =
      List.of(200, 400, 401, 402, 403, 404, 408, 413, 422, 429, 499, 500, 502, 503, 504);

  /**
   * Registers every label set: the APIs with their statuses, and each provider with each outcome.
   */
  public void prepare(Collection<String> providers, Collection<String> errorKinds) {
    for (String api : APIS) {
      for (int status : STATUSES) {
        requestCounter(api, status);
      }
      requestTimer(api);
    }
    overageCounter(OVERAGE_REQUESTS);
    overageCounter(OVERAGE_NANOS);
    CUT_REASONS.forEach(this::cutCounter);
    for (String provider : providers) {
      attemptCounter(provider, "ok");
      ttftTimer(provider);
      for (String kind : errorKinds) {
        attemptCounter(provider, kind);
        errorCounter(provider, kind);
      }
    }
  }

  /**
   * Registers the health gauges of every catalog endpoint; each reads the endpoint's figures when
   * scraped (computed once per scrape, see {@link EndpointHealth#report}).
   */
  public void watchEndpoints(Collection<EndpointId> endpoints, EndpointHealth health) {
    for (EndpointId endpoint : endpoints) {
      Tag model = new Tag("model", endpoint.model());
      Tag provider = new Tag("provider", endpoint.provider());
      Supplier<EndpointHealthReport> report = () -> health.report(endpoint);
      successGauge(report, "5m", EndpointHealthReport::uptimeLast5m, model, provider);
      successGauge(report, "30m", EndpointHealthReport::uptimeLast30m, model, provider);
      successGauge(report, "1d", EndpointHealthReport::uptimeLast1d, model, provider);
      percentileGauges(
          ENDPOINT_LATENCY, report, r -> r.latencyMillisLast30m(), 0.001, model, provider);
      percentileGauges(
          ENDPOINT_FIRST_TOKEN, report, r -> r.firstTokenMillisLast30m(), 0.001, model, provider);
      percentileGauges(ENDPOINT_THROUGHPUT, report, r -> r.throughputLast30m(), 1, model, provider);
      registerQuietly(
          () ->
              registry.gauge(
                  ENDPOINT_BREAKER, () -> breakerValue(health.state(endpoint)), model, provider));
    }
  }

  private void successGauge(
      Supplier<EndpointHealthReport> report,
      String window,
      Function<EndpointHealthReport, Double> percent,
      Tag model,
      Tag provider) {
    registerQuietly(
        () ->
            registry.gauge(
                ENDPOINT_SUCCESS,
                () -> {
                  Double value = percent.apply(report.get());
                  return value == null ? Double.NaN : value / 100;
                },
                model,
                provider,
                new Tag("window", window)));
  }

  private void percentileGauges(
      Metadata metadata,
      Supplier<EndpointHealthReport> report,
      Function<EndpointHealthReport, Percentiles> percentiles,
      double scale,
      Tag model,
      Tag provider) {
    List<Function<Percentiles, Double>> points =
        List.of(Percentiles::p50, Percentiles::p90, Percentiles::p99);
    List<String> names = List.of("p50", "p90", "p99");
    for (int i = 0; i < points.size(); i++) {
      Function<Percentiles, Double> point = points.get(i);
      Tag percentile = new Tag("percentile", names.get(i));
      registerQuietly(
          () ->
              registry.gauge(
                  metadata,
                  () -> {
                    Percentiles values = percentiles.apply(report.get());
                    return values == null ? Double.NaN : point.apply(values) * scale;
                  },
                  model,
                  provider,
                  percentile));
    }
  }

  /** Registers the gauge of settlements not yet in the database, read when scraped. */
  public void watchSettlements(LongSupplier unwritten) {
    registerQuietly(() -> registry.gauge(SETTLEMENTS_UNWRITTEN, unwritten::getAsLong));
  }

  private static double breakerValue(BreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  public void requestFinished(String api, int status, Duration took) {
    Counter requests = requestCounter(api, status);
    if (requests != null) {
      requests.inc();
    }
    Timer duration = requestTimer(api);
    if (duration != null) {
      duration.update(took);
    }
  }

  public void upstreamSucceeded(String provider, Duration timeToFirstToken) {
    inc(attemptCounter(provider, "ok"));
    Timer ttft = ttftTimer(provider);
    if (ttft != null && timeToFirstToken != null) {
      ttft.update(timeToFirstToken);
    }
  }

  public void upstreamFailed(String provider, String kind) {
    inc(attemptCounter(provider, kind));
    inc(errorCounter(provider, kind));
  }

  /** A request billed {@code nanos} beyond what it reserved. */
  public void reservationOverage(long nanos) {
    inc(overageCounter(OVERAGE_REQUESTS));
    Counter amount = overageCounter(OVERAGE_NANOS);
    if (amount != null) {
      amount.inc(nanos);
    }
  }

  /**
   * A client cut for not reading its answer.
   *
   * @param reason {@code buffer} or {@code timeout}
   */
  public void slowClientCut(String reason) {
    inc(cutCounter(reason));
  }

  private Counter cutCounter(String reason) {
    return counter("cut|" + reason, () -> registry.counter(CLIENTS_CUT, new Tag("reason", reason)));
  }

  private Counter overageCounter(Metadata metadata) {
    return counter("ovr|" + metadata.getName(), () -> registry.counter(metadata));
  }

  private static void inc(Counter counter) {
    if (counter != null) {
      counter.inc();
    }
  }

  private Counter requestCounter(String api, int status) {
    return counter(
        "req|" + api + "|" + status,
        () ->
            registry.counter(
                REQUESTS, new Tag("api", api), new Tag("status", String.valueOf(status))));
  }

  private Timer requestTimer(String api) {
    return timer("dur|" + api, () -> registry.timer(REQUEST_DURATION, new Tag("api", api)));
  }

  private Timer ttftTimer(String provider) {
    return timer(
        "ttft|" + provider,
        () -> registry.timer(TIME_TO_FIRST_TOKEN, new Tag("provider", provider)));
  }

  private Counter attemptCounter(String provider, String outcome) {
    return counter(
        "att|" + provider + "|" + outcome,
        () ->
            registry.counter(
                UPSTREAM_ATTEMPTS, new Tag("provider", provider), new Tag("outcome", outcome)));
  }

  private Counter errorCounter(String provider, String kind) {
    return counter(
        "err|" + provider + "|" + kind,
        () ->
            registry.counter(
                UPSTREAM_ERRORS, new Tag("provider", provider), new Tag("kind", kind)));
  }

  private Counter counter(String key, Supplier<Counter> register) {
    Counter counter = counters.get(key);
    if (counter == null) {
      counter = registerQuietly(register);
      if (counter != null) {
        counters.putIfAbsent(key, counter);
      }
    }
    return counter;
  }

  private Timer timer(String key, Supplier<Timer> register) {
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = registerQuietly(register);
      if (timer != null) {
        timers.putIfAbsent(key, timer);
      }
    }
    return timer;
  }

  /** Null when this thread cannot register (no application context), see the class comment. */
  private static <T> T registerQuietly(Supplier<T> register) {
    try {
      return register.get();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
