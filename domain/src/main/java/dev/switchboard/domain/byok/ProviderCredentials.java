package dev.switchboard.domain.byok;

import java.util.Optional;

/**
 * What the request path needs to call a provider with an organization's own key: the decrypted
 * secret and the organization's base URL, if it set one (checked again, and pinned, by {@link
 * BaseUrlGuard} when the connection is made, since a name can be re-pointed after it was stored).
 */
public record ProviderCredentials(
    String provider, ProviderSecret apiKey, Optional<String> baseUrl, boolean alwaysUse) {

  @Override
  public String toString() {
    return "ProviderCredentials[" + provider + ", " + apiKey + ", " + baseUrl + "]";
  }
}
