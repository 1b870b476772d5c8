package dev.switchboard.api.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.routing.health.BreakerPolicy;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeasuredFiguresTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final EndpointHealth health = new EndpointHealth(clock, BreakerPolicy.DEFAULT);
  private final MeasuredFigures figures = new MeasuredFigures(health);
  private final LoadedCatalog loaded = LoadedCatalogs.of(LoadedCatalogs.CHEAP_AND_DEAR);
  private final CatalogEndpoint cheap =
      loaded.catalog().model("acme/chat").orElseThrow().endpoints().get(0);

  @Test
  void aHalfOpenEndpointGoesFirstForAsManyRequestsAsItHasProbesThenWaitsForTheirAnswers() {
    EndpointId id = EndpointId.of(cheap);
    for (int i = 0; i < BreakerPolicy.DEFAULT.consecutiveFailures(); i++) {
      health.failed(id);
    }
    assertThat(figures.breakerOpen(cheap)).as("open").isTrue();
    assertThat(figures.breakerClosed(cheap)).isFalse();

    clock.advance(BreakerPolicy.DEFAULT.coolDown());
    for (int probe = 0; probe < BreakerPolicy.DEFAULT.halfOpenProbes(); probe++) {
      assertThat(figures.breakerOpen(cheap)).as("probe %d", probe + 1).isFalse();
    }
    assertThat(figures.breakerOpen(cheap)).as("its probes are out").isTrue();
    assertThat(figures.breakerClosed(cheap)).as("half-open is not closed").isFalse();

    health.succeeded(id, 100, 50, 50, 10);
    assertThat(figures.breakerOpen(cheap)).as("a probe answered: closed").isFalse();
    assertThat(figures.breakerClosed(cheap)).isTrue();
  }
}
