package dev.switchboard.api.catalog;

import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.catalog.Catalog;
import dev.switchboard.domain.catalog.CatalogLoader;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.catalog.PriceBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Loads the catalog once at start-up (the configured file, or the built-in demo), records its
 * prices, and serves the snapshot to the hot path without I/O.
 */
@ApplicationScoped
public class CatalogService {

  private static final Logger LOG = Logger.getLogger(CatalogService.class.getName());

  @Inject SwitchboardSettings settings;
  @Inject PriceBook priceBook;
  @Inject Instance<DemoCatalog> demo;

  private volatile LoadedCatalog current;

  /** Loads and validates the catalog; an invalid one stops the start-up. */
  public LoadedCatalog load() {
    Catalog catalog;
    Map<String, String> environment = new HashMap<>(System.getenv());
    if (settings.catalogPath().isPresent()) {
      catalog = CatalogLoader.load(Path.of(settings.catalogPath().get()));
    } else if (demo.isResolvable()) {
      DemoCatalog builtIn = demo.get();
      catalog = CatalogLoader.parse(builtIn.source(), builtIn.text());
      builtIn.providerKeys().forEach(environment::putIfAbsent);
    } else {
      throw new IllegalStateException(
          "SWITCHBOARD_CATALOG is not set and there is no built-in catalog");
    }
    Map<String, String> keys = new HashMap<>();
    Map<String, ProviderAvailability> availability = new HashMap<>();
    for (CatalogProvider provider : catalog.providers()) {
      String key = environment.get(provider.apiKeyEnv());
      if (key == null || key.isBlank()) {
        availability.put(
            provider.slug(),
            ProviderAvailability.unavailable(
                "no API key: the environment variable " + provider.apiKeyEnv() + " is not set"));
        LOG.warning(
            "provider "
                + provider.slug()
                + " is unavailable: "
                + provider.apiKeyEnv()
                + " is not set");
      } else {
        keys.put(provider.slug(), key);
        availability.put(provider.slug(), ProviderAvailability.AVAILABLE);
      }
    }
    current =
        new LoadedCatalog(
            catalog, priceBook.record(catalog), Map.copyOf(keys), Map.copyOf(availability));
    LOG.info(
        "catalog loaded: "
            + catalog.models().size()
            + " models from "
            + catalog.providers().size()
            + " providers");
    return current;
  }

  public LoadedCatalog current() {
    LoadedCatalog loaded = current;
    if (loaded == null) {
      throw new IllegalStateException("the catalog is not loaded yet");
    }
    return loaded;
  }

  public boolean isLoaded() {
    return current != null;
  }
}
