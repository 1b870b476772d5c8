package dev.switchboard.api.inference;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.metrics.GatewayMetrics;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.api.provider.ProviderClient;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.ledger.SpendGate;
import dev.switchboard.domain.routing.health.EndpointHealth;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every inference exchange uses, made once: the provider client, the planner, the money
 * services.
 */
@ApplicationScoped
public class InferenceServices {

  @Inject CatalogService catalog;
  @Inject SpendGate spendGate;
  @Inject Clock clock;
  @Inject SwitchboardSettings settings;
  @Inject GatewayMetrics metrics;
  @Inject BaseUrlGuard organizationUrls;
  @Inject EndpointHealth health;

  private ProviderClient providers;
  private RoutePlanner planner;
  private MeasuredFigures figures;
  private final StickyRoutes sticky = new StickyRoutes(System::nanoTime);
  private ScheduledExecutorService timer;
  private ExecutorService answers;

  @PostConstruct
  void start() {
    providers =
        new ProviderClient(
            new ProviderClient.Timeouts(
                Duration.ofSeconds(10),
                Duration.ofSeconds(settings.upstreamFirstByteSeconds()),
                Duration.ofSeconds(settings.upstreamIdleSeconds()),
                Duration.ofMinutes(15)),
            organizationUrls);
    figures = new MeasuredFigures(health);
    planner = new RoutePlanner(new WireFormats(), figures);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-keepalive");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger answerThreads = new AtomicInteger();
    answers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "switchboard-answer-" + answerThreads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
    answers.shutdown();
    providers.close();
  }

  CatalogService catalog() {
    return catalog;
  }

  SpendGate spendGate() {
    return spendGate;
  }

  Clock clock() {
    return clock;
  }

  /** The one client of providers (their connection pools), for every call made to one. */
  public ProviderClient providers() {
    return providers;
  }

  RoutePlanner planner() {
    return planner;
  }

  StickyRoutes sticky() {
    return sticky;
  }

  /** Whether the candidate's endpoint's breaker lets it go first. */
  boolean healthy(Candidate candidate) {
    return !figures.breakerOpen(candidate.endpoint());
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * Where an answer held back until its billing was committed is written: the commit completes on
   * the settlement writer's thread, which must never wait for a client.
   */
  ExecutorService answers() {
    return answers;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  EndpointHealth health() {
    return health;
  }

  Duration keepAliveInterval() {
    return Duration.ofMillis(settings.streamKeepAliveMillis());
  }
}
