package dev.switchboard.domain.byok;

import dev.switchboard.domain.catalog.CatalogProvider;
import java.net.URI;
import java.util.Optional;

/**
 * What the request path needs to call a provider with an organization's own key: the decrypted
 * secret and the organization's base URL, if it set one (checked again, and pinned, by {@link
 * BaseUrlGuard} when the connection is made, since a name can be re-pointed after it was stored).
 */
public record ProviderCredentials(
    String provider, ProviderSecret apiKey, Optional<String> baseUrl, boolean alwaysUse) {

  /**
   * The catalog's provider as these credentials reach it: at the organization's base URL, if set.
   */
  public CatalogProvider reach(CatalogProvider catalogProvider) {
    return baseUrl.map(url -> catalogProvider.atBaseUrl(URI.create(url))).orElse(catalogProvider);
  }

  @Override
  public String toString() {
    return "ProviderCredentials[" + provider + ", " + apiKey + ", " + baseUrl + "]";
  }
}
