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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

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

  private Failover.Limits failoverLimits;
  private ClientConnection.Limits clientLimits;

  @PostConstruct
  void start() {
    failoverLimits =
        new Failover.Limits(
            settings.failoverMaxAttempts(), Duration.ofSeconds(settings.failoverDeadlineSeconds()));
    clientLimits =
        new ClientConnection.Limits(
            settings.clientBufferBytes(), Duration.ofSeconds(settings.clientWriteTimeoutSeconds()));
    providers =
        new ProviderClient(
            new ProviderClient.Timeouts(
                Duration.ofSeconds(10),
                Duration.ofSeconds(settings.upstreamFirstByteSeconds()),
                Duration.ofSeconds(settings.upstreamIdleSeconds()),
                Duration.ofMinutes(15)),
            organizationUrls);
    figures = new MeasuredFigures(health);
    planner = new RoutePlanner(new WireFormats(), figures, spread());
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-keepalive");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger answerThreads = new AtomicInteger();
    // ending an answer (its last bytes, written without blocking) is short work: a few threads
    answers =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "switchboard-answer-" + answerThreads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The draws of the default order's spread: seeded when configured so, none when it is off. */
  private DoubleSupplier spread() {
    if (!settings.routingSpread()) {
      return null;
    }
    return settings
        .routingSeed()
        .<DoubleSupplier>map(seed -> new Random(seed)::nextDouble)
        .orElse(() -> ThreadLocalRandom.current().nextDouble());
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

  /** Whether the candidate's endpoint's breaker is closed (a sticky conversation may keep it). */
  boolean healthy(Candidate candidate) {
    return figures.breakerClosed(candidate.endpoint());
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

  ClientConnection.Limits clientLimits() {
    return clientLimits;
  }

  Duration keepAliveInterval() {
    return Duration.ofMillis(settings.streamKeepAliveMillis());
  }

  /** The failover loop's limits: attempts per request, and when the last may start. */
  Failover.Limits failoverLimits() {
    return failoverLimits;
  }
}
