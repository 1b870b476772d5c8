package dev.switchboard.webui.ui.models;

import dev.switchboard.domain.catalog.CatalogProvider;

/** A provider as the provider filter offers it. */
public record ProviderChoice(String slug, String name) {

  public static ProviderChoice of(CatalogProvider provider) {
    return new ProviderChoice(provider.slug(), provider.name());
  }
}
