package dev.switchboard.api.inference;

import dev.switchboard.domain.catalog.CatalogEndpoint;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** Endpoint figures a routing test sets, by provider slug. */
final class StubFigures {

  private StubFigures() {}

  /**
   * Median throughput (tokens/s) and latency (s) of the providers' endpoints (none for the others),
   * and the providers whose endpoints' breakers are open.
   */
  static RoutePlanner.EndpointFigures of(
      Map<String, Double> throughput, Map<String, Double> latency, Set<String> open) {
    return new RoutePlanner.EndpointFigures() {
      @Override
      public boolean breakerOpen(CatalogEndpoint endpoint) {
        return open.contains(endpoint.providerSlug());
      }

      @Override
      public OptionalDouble throughput(CatalogEndpoint endpoint) {
        return figure(throughput, endpoint);
      }

      @Override
      public OptionalDouble latencySeconds(CatalogEndpoint endpoint) {
        return figure(latency, endpoint);
      }
    };
  }

  private static OptionalDouble figure(Map<String, Double> figures, CatalogEndpoint endpoint) {
    Double value = figures.get(endpoint.providerSlug());
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}
