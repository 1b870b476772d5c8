package dev.switchboard.domain.catalog;

import java.net.URI;

/**
 * A provider as the catalog describes it. The API key itself never lives in the catalog: it is read
 * from the environment variable {@code apiKeyEnv} names.
 */
public record CatalogProvider(
    String slug,
    String name,
    ProviderApi api,
    URI baseUrl,
    String apiKeyEnv,
    DataPolicy dataPolicy) {

  /** The same provider reached at another base URL (an organization's own, with its own key). */
  public CatalogProvider atBaseUrl(URI otherBaseUrl) {
    return new CatalogProvider(slug, name, api, otherBaseUrl, apiKeyEnv, dataPolicy);
  }
}
