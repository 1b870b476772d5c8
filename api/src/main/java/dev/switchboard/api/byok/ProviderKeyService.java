package dev.switchboard.api.byok;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.byok.BaseUrlRefusedException;
import dev.switchboard.domain.byok.CheckedBaseUrl;
import dev.switchboard.domain.byok.ProviderKey;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.byok.ProviderSecret;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Sets, rotates, lists and deletes an organization's provider keys for the catalog's providers: the
 * one path {@code PUT /byok/{provider}} and the dashboard's Provider keys page both take, so both
 * refuse the same input with the same message. Refusals are {@link AccountRefusedException}s (not
 * found for a provider outside the catalog, invalid for a secret or base URL that breaks its rules,
 * forbidden for a role without the permission), thrown before anything is stored; their messages
 * never carry the secret.
 */
@ApplicationScoped
public class ProviderKeyService {

  @Inject CatalogService catalog;
  @Inject ProviderKeys providerKeys;
  @Inject BaseUrlGuard baseUrls;

  /** The catalog's providers: an organization may set a key for any of them. */
  public List<CatalogProvider> providers() {
    return List.copyOf(catalog.current().catalog().providers());
  }

  /**
   * The catalog's provider with this slug.
   *
   * @throws AccountRefusedException not found when the catalog has none
   */
  public CatalogProvider provider(String slug) {
    return catalog
        .current()
        .catalog()
        .provider(slug)
        .orElseThrow(
            () ->
                new AccountRefusedException(
                    AccountRefusedException.Reason.NOT_FOUND,
                    "No provider "
                        + (slug.length() > 80 ? slug.substring(0, 80) : slug)
                        + " in the catalog"));
  }

  /**
   * Sets the organization's key for a catalog provider, or rotates it.
   *
   * @param apiKey the secret as given (checked by {@link ProviderSecret#of})
   * @param baseUrl the base URL as given (checked by {@link BaseUrlGuard#check}), or empty for the
   *     provider's own
   */
  public ProviderKey set(
      Actor actor,
      OrganizationId org,
      String provider,
      String apiKey,
      Optional<String> baseUrl,
      boolean alwaysUse) {
    String slug = provider(provider).slug();
    ProviderSecret secret = ProviderSecret.of(apiKey);
    Optional<CheckedBaseUrl> checked;
    try {
      checked = baseUrl.map(baseUrls::check);
    } catch (BaseUrlRefusedException e) {
      throw new AccountRefusedException(e.getMessage());
    }
    return providerKeys.put(actor, org, slug, secret, checked, alwaysUse);
  }

  /** The organization's keys, by provider; never their secrets. */
  public List<ProviderKey> list(Actor actor, OrganizationId org) {
    return providerKeys.list(actor, org);
  }

  /**
   * Deletes the organization's key for a catalog provider.
   *
   * @return whether there was one
   */
  public boolean delete(Actor actor, OrganizationId org, String provider) {
    return providerKeys.delete(actor, org, provider(provider).slug());
  }
}
