package dev.switchboard.api.catalog;

import dev.switchboard.domain.catalog.Catalog;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogProvider;
import java.util.Map;

/**
 * The catalog being served: the validated snapshot, the price row in effect for each endpoint, and
 * each provider's API key (resolved from its environment variable) or the reason it is unavailable.
 */
public record LoadedCatalog(
    Catalog catalog,
    Map<String, Long> priceIds,
    Map<String, String> providerKeys,
    Map<String, ProviderAvailability> availability) {

  public long priceId(CatalogEndpoint endpoint) {
    return priceIds.get(endpoint.priceKey());
  }

  public ProviderAvailability availability(CatalogProvider provider) {
    return availability.getOrDefault(provider.slug(), ProviderAvailability.AVAILABLE);
  }

  public String apiKey(CatalogProvider provider) {
    return providerKeys.get(provider.slug());
  }
}
