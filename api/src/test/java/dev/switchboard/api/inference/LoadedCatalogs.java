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

  /**
   * Two providers: {@code acme/chat} served by both (cheap first), {@code acme/other} by dear
   * alone, {@code acme/solo} by cheap alone.
   */
  static final String CHEAP_AND_DEAR =
      """
      providers:
        - {slug: cheap, name: Cheap, api: openai, base_url: "https://cheap.example/v1", api_key_env: K1}
        - {slug: dear, name: Dear, api: openai, base_url: "https://dear.example/v1", api_key_env: K2}
      models:
        - id: acme/chat
          name: Chat
          context_length: 8000
          endpoints:
            - {provider: cheap, upstream_model: c, pricing: {prompt: "0.000001", completion: "0.000001"}}
            - {provider: dear, upstream_model: d, pricing: {prompt: "0.000002", completion: "0.000002"}}
        - id: acme/other
          name: Other
          context_length: 8000
          endpoints:
            - {provider: dear, upstream_model: o, pricing: {prompt: "0.000001", completion: "0.000001"}}
        - id: acme/solo
          name: Solo
          context_length: 8000
          endpoints:
            - {provider: cheap, upstream_model: s, pricing: {prompt: "0.000001", completion: "0.000001"}}
      """;

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
