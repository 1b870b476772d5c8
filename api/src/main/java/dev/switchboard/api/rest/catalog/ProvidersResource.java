package dev.switchboard.api.rest.catalog;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code GET /providers}: the catalog's providers, and whether each can be called now. */
@Path("/providers")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ProvidersResource {

  /** A provider and, when it cannot be called, why. */
  public record ProviderView(
      String slug, String name, String api, boolean available, String unavailableReason) {}

  @Inject CatalogService catalogs;

  @GET
  public Map<String, List<ProviderView>> providers() {
    LoadedCatalog loaded = catalogs.current();
    return Map.of(
        "data",
        loaded.catalog().providers().stream()
            .map(
                p -> {
                  ProviderAvailability availability = loaded.availability(p);
                  return new ProviderView(
                      p.slug(),
                      p.name(),
                      p.api().wireName(),
                      availability.available(),
                      availability.reason());
                })
            .toList());
  }
}
