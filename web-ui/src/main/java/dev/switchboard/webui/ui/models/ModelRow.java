package dev.switchboard.webui.ui.models;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.catalog.CatalogProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One line of the models list: a model and the prices of its cheapest endpoint (the cheapest
 * available one, if any provider is available). A read-only projection of the catalog snapshot; the
 * view never sees the catalog's own objects.
 *
 * @param providers the providers serving the model, in catalog order, each once
 * @param cheapestProvider display name of the provider of the cheapest endpoint
 */
public record ModelRow(
    String id,
    String name,
    int contextLength,
    List<ProviderChoice> providers,
    long promptPerMillion,
    long completionPerMillion,
    String cheapestProvider) {

  private static final Comparator<CatalogEndpoint> BY_TOKEN_PRICE =
      Comparator.comparingLong(
          e -> Math.addExact(e.pricing().promptPerMillion(), e.pricing().completionPerMillion()));

  public ModelRow {
    providers = List.copyOf(providers);
  }

  public static List<ModelRow> of(LoadedCatalog loaded) {
    return loaded.catalog().models().stream().map(model -> of(model, loaded)).toList();
  }

  public static ModelRow of(CatalogModel model, LoadedCatalog loaded) {
    List<ProviderChoice> providers =
        model.endpoints().stream()
            .map(CatalogEndpoint::providerSlug)
            .distinct()
            .map(slug -> choice(slug, loaded))
            .toList();
    CatalogEndpoint cheapest =
        model.endpoints().stream()
            .filter(e -> isAvailable(e, loaded))
            .min(BY_TOKEN_PRICE)
            .or(() -> model.endpoints().stream().min(BY_TOKEN_PRICE))
            .orElseThrow(
                () -> new IllegalArgumentException("model " + model.id() + " has no endpoint"));
    return new ModelRow(
        model.id(),
        model.name(),
        model.contextLength(),
        providers,
        cheapest.pricing().promptPerMillion(),
        cheapest.pricing().completionPerMillion(),
        choice(cheapest.providerSlug(), loaded).name());
  }

  public String author() {
    return id.substring(0, id.indexOf('/'));
  }

  public String slug() {
    return id.substring(id.indexOf('/') + 1);
  }

  /** Provider names, comma-separated, as the list shows them. */
  public String providerNames() {
    return String.join(", ", providers.stream().map(ProviderChoice::name).toList());
  }

  private static boolean isAvailable(CatalogEndpoint endpoint, LoadedCatalog loaded) {
    Optional<CatalogProvider> provider = loaded.catalog().provider(endpoint.providerSlug());
    return provider.isPresent() && loaded.availability(provider.get()).available();
  }

  private static ProviderChoice choice(String slug, LoadedCatalog loaded) {
    return loaded
        .catalog()
        .provider(slug)
        .map(ProviderChoice::of)
        .orElse(new ProviderChoice(slug, slug));
  }
}
