package dev.switchboard.webui.ui.models;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.money.Pricing;
import java.util.Optional;

/** One endpoint of a model as its page shows it: every value already formatted for display. */
public record EndpointRow(
    String provider,
    String availability,
    String upstreamModel,
    String promptPrice,
    String completionPrice,
    String cacheReadPrice,
    String requestPrice,
    String maxCompletionTokens,
    String quantization,
    String supportedParameters) {

  public static final String AVAILABLE = "available";

  public static EndpointRow of(CatalogEndpoint endpoint, LoadedCatalog loaded) {
    Optional<CatalogProvider> provider = loaded.catalog().provider(endpoint.providerSlug());
    ProviderAvailability availability =
        provider
            .map(loaded::availability)
            .orElse(ProviderAvailability.unavailable("unknown provider"));
    Pricing pricing = endpoint.pricing();
    return new EndpointRow(
        provider.map(CatalogProvider::name).orElse(endpoint.providerSlug()),
        availability.available() ? AVAILABLE : availability.reason(),
        endpoint.upstreamModel(),
        PriceFormat.perMillion(pricing.promptPerMillion()),
        PriceFormat.perMillion(pricing.completionPerMillion()),
        PriceFormat.perMillion(pricing.cacheReadPerMillion()),
        PriceFormat.perRequest(pricing.perRequest()),
        TokenFormat.tokens(endpoint.maxCompletionTokens()),
        orNone(endpoint.quantization()),
        endpoint.supportedParameters().isEmpty()
            ? PriceFormat.NONE
            : String.join(", ", endpoint.supportedParameters()));
  }

  private static String orNone(String value) {
    return value == null || value.isBlank() ? PriceFormat.NONE : value;
  }
}
