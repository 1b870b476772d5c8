package dev.switchboard.api.inference;

import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.routing.health.BreakerState;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointHealthReport;
import dev.switchboard.domain.routing.health.EndpointId;
import java.util.OptionalDouble;

/**
 * The routing figures of an endpoint as this instance measured them ({@link EndpointHealth}): the
 * median throughput and time to first token of its last 30 minutes of successes, and whether its
 * breaker is open.
 */
final class MeasuredFigures implements RoutePlanner.EndpointFigures {

  private final EndpointHealth health;

  MeasuredFigures(EndpointHealth health) {
    this.health = health;
  }

  @Override
  public OptionalDouble throughput(CatalogEndpoint endpoint) {
    EndpointHealthReport report = health.report(EndpointId.of(endpoint));
    return report.throughputLast30m() == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(report.throughputLast30m().p50());
  }

  @Override
  public OptionalDouble latencySeconds(CatalogEndpoint endpoint) {
    EndpointHealthReport report = health.report(EndpointId.of(endpoint));
    return report.firstTokenMillisLast30m() == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(report.firstTokenMillisLast30m().p50() / 1000.0);
  }

  /**
   * Whether the endpoint's breaker keeps this request away: open, or half-open with its probes
   * taken. Asking takes a probe when one is left, so only that many requests try a half-open
   * endpoint first (the planner asks once per endpoint per request).
   */
  @Override
  public boolean breakerOpen(CatalogEndpoint endpoint) {
    return !health.allows(EndpointId.of(endpoint));
  }

  /** Whether the endpoint's breaker is closed (asking takes no probe). */
  boolean breakerClosed(CatalogEndpoint endpoint) {
    return health.state(EndpointId.of(endpoint)) == BreakerState.CLOSED;
  }
}
