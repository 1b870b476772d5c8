package dev.switchboard.api.inference;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.domain.catalog.Catalog;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogLoader;
import java.util.HashMap;
import java.util.Map;

/** Catalogs of the routing tests, loaded as the platform loads them, without a database. */
final class LoadedCatalogs {

  private LoadedCatalogs() {}

  /** Every provider has the key {@code key-<slug>}; price rows are numbered from 100. */
  static LoadedCatalog of(String yaml) {
    return of(yaml, Map.of());
  }

  /** As {@link #of(String)}, but the providers of {@code unavailable} have no key and a reason. */
  static LoadedCatalog of(String yaml, Map<String, ProviderAvailability> unavailable) {
    Catalog catalog = CatalogLoader.parse("test", yaml);
    Map<String, Long> priceIds = new HashMap<>();
    long id = 100;
    for (CatalogEndpoint endpoint : catalog.endpoints()) {
      priceIds.put(endpoint.priceKey(), id++);
    }
    Map<String, String> keys = new HashMap<>();
    catalog.providers().forEach(p -> keys.put(p.slug(), "key-" + p.slug()));
    keys.keySet().removeAll(unavailable.keySet());
    return new LoadedCatalog(catalog, priceIds, keys, unavailable);
  }
}
