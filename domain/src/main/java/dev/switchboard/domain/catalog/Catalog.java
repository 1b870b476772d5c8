package dev.switchboard.domain.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable, validated snapshot of the catalog: what the hot path reads, without any I/O. */
public final class Catalog {

  private final Map<String, CatalogProvider> providers;
  private final Map<String, CatalogModel> models;

  Catalog(List<CatalogProvider> providers, List<CatalogModel> models) {
    Map<String, CatalogProvider> providersBySlug = new LinkedHashMap<>();
    providers.forEach(p -> providersBySlug.put(p.slug(), p));
    Map<String, CatalogModel> modelsById = new LinkedHashMap<>();
    models.forEach(m -> modelsById.put(m.id(), m));
    this.providers = Collections.unmodifiableMap(providersBySlug);
    this.models = Collections.unmodifiableMap(modelsById);
  }

  public Collection<CatalogProvider> providers() {
    return providers.values();
  }

  public Collection<CatalogModel> models() {
    return models.values();
  }

  public Optional<CatalogModel> model(String id) {
    return Optional.ofNullable(models.get(id));
  }

  public Optional<CatalogProvider> provider(String slug) {
    return Optional.ofNullable(providers.get(slug));
  }

  public List<CatalogEndpoint> endpoints() {
    return models.values().stream().flatMap(m -> m.endpoints().stream()).toList();
  }
}
