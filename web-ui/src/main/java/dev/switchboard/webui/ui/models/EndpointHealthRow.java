package dev.switchboard.webui.ui.models;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointHealthReport;
import dev.switchboard.domain.routing.health.EndpointId;
import dev.switchboard.domain.routing.health.Percentiles;
import java.util.Locale;

/**
 * How one endpoint has answered lately, as the model page shows it: uptime over 30 minutes, the
 * median time to the first token (the latency the API reports), the median throughput and the
 * circuit breaker, each {@link PriceFormat#NONE} when there was no traffic to measure.
 */
public record EndpointHealthRow(
    String provider, String uptime, String latency, String throughput, String circuit) {

  public static EndpointHealthRow of(
      CatalogEndpoint endpoint, LoadedCatalog loaded, EndpointHealth health) {
    EndpointHealthReport report = health.report(EndpointId.of(endpoint));
    return new EndpointHealthRow(
        loaded
            .catalog()
            .provider(endpoint.providerSlug())
            .map(CatalogProvider::name)
            .orElse(endpoint.providerSlug()),
        report.uptimeLast30m() == null
            ? PriceFormat.NONE
            : String.format(Locale.ROOT, "%.1f%%", report.uptimeLast30m()),
        latency(report.firstTokenMillisLast30m()),
        report.throughputLast30m() == null
            ? PriceFormat.NONE
            : String.format(Locale.ROOT, "%.1f tokens/s", report.throughputLast30m().p50()),
        report.breaker().wireName().replace('_', '-'));
  }

  /** Milliseconds below a second ({@code "240 ms"}), seconds above ({@code "1.25 s"}). */
  private static String latency(Percentiles millis) {
    if (millis == null) {
      return PriceFormat.NONE;
    }
    double p50 = millis.p50();
    return p50 < 1000
        ? String.format(Locale.ROOT, "%.0f ms", p50)
        : String.format(Locale.ROOT, "%.2f s", p50 / 1000);
  }
}
