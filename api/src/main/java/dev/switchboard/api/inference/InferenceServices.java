package dev.switchboard.api.inference;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.metrics.GatewayMetrics;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.api.provider.ProviderClient;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.ledger.SpendGate;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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

  private ProviderClient providers;
  private RoutePlanner planner;
  private ScheduledExecutorService timer;

  @PostConstruct
  void start() {
    providers =
        new ProviderClient(
            new ProviderClient.Timeouts(
                Duration.ofSeconds(10),
                Duration.ofSeconds(settings.upstreamFirstByteSeconds()),
                Duration.ofSeconds(settings.upstreamIdleSeconds()),
                Duration.ofMinutes(15)));
    planner = new RoutePlanner(new WireFormats());
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-keepalive");
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
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

  ProviderClient providers() {
    return providers;
  }

  RoutePlanner planner() {
    return planner;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  Duration keepAliveInterval() {
    return Duration.ofMillis(settings.streamKeepAliveMillis());
  }
}
