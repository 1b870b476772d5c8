package dev.switchboard.api.byok;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.inference.InferenceServices;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderClient;
import dev.switchboard.api.provider.WireFormat;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.byok.BaseUrlRefusedException;
import dev.switchboard.domain.byok.CheckedBaseUrl;
import dev.switchboard.domain.byok.ProviderCredentials;
import dev.switchboard.domain.byok.ProviderKey;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.byok.ProviderSecret;
import dev.switchboard.domain.byok.SecretUnreadableException;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  @Inject InferenceServices inference;

  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);
  private final WireFormats wires = new WireFormats();

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

  /**
   * What one cheap request through an organization's own key showed.
   *
   * @param model the catalog model asked
   * @param works whether the provider answered
   * @param millis how long the answer (or the failure) took
   * @param problem the provider's failure, without the secret, or empty when it works
   */
  public record KeyCheck(String model, boolean works, long millis, Optional<String> problem) {}

  /**
   * Sends one cheap request through the organization's key for a provider (to its base URL when it
   * set one): the provider's cheapest catalog model, a one-word prompt, one completion token. The
   * provider bills the organization's account for it; Switchboard records and charges nothing.
   *
   * @throws AccountRefusedException not found when the organization has no key for the provider (or
   *     the catalog no model of it), forbidden for a role that may not manage provider keys
   */
  public KeyCheck check(Actor actor, OrganizationId org, String provider) {
    CatalogProvider catalogProvider = provider(provider);
    String slug = catalogProvider.slug();
    boolean hasKey =
        providerKeys.list(actor, org).stream().anyMatch(key -> key.provider().equals(slug));
    Optional<ProviderCredentials> own = hasKey ? readable(org, slug) : Optional.empty();
    if (own.isEmpty()) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.NOT_FOUND,
          "Your organization has no key for " + catalogProvider.name());
    }
    CatalogEndpoint endpoint =
        catalog.current().catalog().models().stream()
            .flatMap(model -> model.endpoints().stream())
            .filter(e -> e.providerSlug().equals(slug))
            .min(
                Comparator.comparingLong(
                        (CatalogEndpoint e) ->
                            e.pricing().promptPerMillion() + e.pricing().completionPerMillion())
                    .thenComparing(CatalogEndpoint::modelId))
            .orElseThrow(
                () ->
                    new AccountRefusedException(
                        AccountRefusedException.Reason.NOT_FOUND,
                        "The catalog has no model served by " + catalogProvider.name()));
    WireFormat wire =
        wires
            .of(catalogProvider.api())
            .orElseThrow(
                () ->
                    new AccountRefusedException(
                        AccountRefusedException.Reason.NOT_FOUND,
                        catalogProvider.name() + "'s wire format is not supported yet"));
    ProviderCredentials credentials = own.get();
    String secret = credentials.apiKey().reveal();
    ProviderCall call =
        new ProviderCall(
            credentials.reach(catalogProvider),
            secret,
            endpoint.upstreamModel(),
            checkRequest(endpoint.modelId()),
            false,
            credentials.baseUrl().isPresent());
    long started = System.nanoTime();
    Optional<String> problem;
    try {
      inference.providers().complete(wire, call).get(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      problem = Optional.empty();
    } catch (ExecutionException e) {
      problem = Optional.of(ProviderClient.classify(e.getCause()).message().replace(secret, "***"));
    } catch (TimeoutException e) {
      problem = Optional.of("no answer within " + CHECK_TIMEOUT.toSeconds() + " seconds");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = Optional.of("interrupted");
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return new KeyCheck(endpoint.modelId(), problem.isEmpty(), millis, problem);
  }

  private Optional<ProviderCredentials> readable(OrganizationId org, String slug) {
    try {
      return providerKeys.credentials(org, slug);
    } catch (SecretUnreadableException e) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.CONFLICT,
          "The key for "
              + slug
              + " cannot be read (its master key is not configured): set it again");
    }
  }

  private static ObjectNode checkRequest(String model) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", model);
    body.put("max_tokens", 1);
    body.putArray("messages").addObject().put("role", "user").put("content", "Say OK.");
    return body;
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
