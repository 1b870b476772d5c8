package dev.switchboard.domain.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated snapshot of the catalog: what the hot path reads, without any I/O. A
 * model's endpoints priced at zero form its {@code :free} variant ({@code author/slug:free}), a
 * model of its own as OpenRouter lists it; the model's own id keeps only its paid endpoints, so a
 * paid request is never silently served by a free endpoint (with its quotas) nor the reverse.
 */
public final class Catalog {

  /** The suffix of a model's free variant. */
  public static final String FREE_SUFFIX = ":free";

  private final Map<String, CatalogProvider> providers;
  private final Map<String, CatalogModel> models;

  Catalog(List<CatalogProvider> providers, List<CatalogModel> models) {
    Map<String, CatalogProvider> providersBySlug = new LinkedHashMap<>();
    providers.forEach(p -> providersBySlug.put(p.slug(), p));
    Map<String, CatalogModel> modelsById = new LinkedHashMap<>();
    for (CatalogModel m : models) {
      List<CatalogEndpoint> paid =
          m.endpoints().stream().filter(e -> !e.pricing().isFree()).toList();
      List<CatalogEndpoint> free =
          m.endpoints().stream().filter(e -> e.pricing().isFree()).toList();
      if (!paid.isEmpty()) {
        modelsById.put(m.id(), m.servedBy(m.id(), m.name(), paid));
      }
      if (!free.isEmpty()) {
        String id = m.id() + FREE_SUFFIX;
        modelsById.put(id, m.servedBy(id, m.name() + " (free)", free));
      }
    }
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

  /** Whether {@code id} is a free variant's id ({@code author/slug:free}). */
  public static boolean isFreeVariant(String id) {
    return id.endsWith(FREE_SUFFIX);
  }

  /**
   * Whether {@code id} asks for the free variant of a model the catalog has, which has no endpoint
   * priced at zero.
   */
  public boolean lacksFreeEndpoint(String id) {
    return isFreeVariant(id)
        && !models.containsKey(id)
        && models.containsKey(id.substring(0, id.length() - FREE_SUFFIX.length()));
  }

  public Optional<CatalogProvider> provider(String slug) {
    return Optional.ofNullable(providers.get(slug));
  }

  public List<CatalogEndpoint> endpoints() {
    return models.values().stream().flatMap(m -> m.endpoints().stream()).toList();
  }
}
