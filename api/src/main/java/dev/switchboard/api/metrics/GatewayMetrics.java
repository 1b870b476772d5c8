package dev.switchboard.api.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Request counts, latency and upstream errors, per API and per provider. Metric handles are looked up
 * once per label set and kept, so recording on the hot path is a map read and an atomic add.
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

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  public void requestFinished(String api, int status, Duration took) {
    counters
        .computeIfAbsent(
            "req|" + api + "|" + status,
            k -> registry.counter(REQUESTS, new Tag("api", api), new Tag("status", String.valueOf(status))))
        .inc();
    timers
        .computeIfAbsent("dur|" + api, k -> registry.timer(REQUEST_DURATION, new Tag("api", api)))
        .update(took);
  }

  public void upstreamSucceeded(String provider, Duration timeToFirstToken) {
    attempt(provider, "ok");
    if (timeToFirstToken != null) {
      timers
          .computeIfAbsent(
              "ttft|" + provider, k -> registry.timer(TIME_TO_FIRST_TOKEN, new Tag("provider", provider)))
          .update(timeToFirstToken);
    }
  }

  public void upstreamFailed(String provider, String kind) {
    attempt(provider, kind);
    counters
        .computeIfAbsent(
            "err|" + provider + "|" + kind,
            k -> registry.counter(UPSTREAM_ERRORS, new Tag("provider", provider), new Tag("kind", kind)))
        .inc();
  }

  private void attempt(String provider, String outcome) {
    counters
        .computeIfAbsent(
            "att|" + provider + "|" + outcome,
            k ->
                registry.counter(
                    UPSTREAM_ATTEMPTS, new Tag("provider", provider), new Tag("outcome", outcome)))
        .inc();
  }
}
