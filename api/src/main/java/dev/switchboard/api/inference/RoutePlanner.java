package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.provider.WireFormat;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.byok.ProviderCredentials;
import dev.switchboard.domain.byok.SecretUnreadableException;
import dev.switchboard.domain.catalog.Catalog;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.catalog.CatalogProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders the endpoints a request may use: its models in order ({@code model}, then the {@code
 * models} fallbacks), for each the endpoints that are available, fit the request and satisfy the
 * provider preferences, cheapest first unless an order is given. Where the organization brought its
 * own key for a provider (BYOK), that provider's endpoints are tried with it first, then, unless
 * the key is marked {@code always_use}, with the platform's key after the model's other endpoints.
 * Pure: reads only the catalog snapshot and the organization's keys it is given.
 */
public final class RoutePlanner {

  private final WireFormats wires;

  public RoutePlanner(WireFormats wires) {
    this.wires = wires;
  }

  /** The organization's own provider keys, by provider slug, as the request path sees them. */
  @FunctionalInterface
  public interface OwnKeys {
    OwnKeys NONE = provider -> Optional.empty();

    /**
     * @throws SecretUnreadableException when the organization's key for it does not decrypt
     */
    Optional<ProviderCredentials> of(String provider);
  }

  public List<Candidate> plan(ChatRequest request, LoadedCatalog loaded) {
    return plan(request, loaded, OwnKeys.NONE);
  }

  public List<Candidate> plan(ChatRequest request, LoadedCatalog loaded, OwnKeys own) {
    List<Candidate> candidates = new ArrayList<>();
    Map<String, String> refusals = new LinkedHashMap<>();
    boolean anyModelKnown = false;
    for (String modelId : request.models()) {
      Optional<CatalogModel> model = loaded.catalog().model(modelId);
      if (model.isEmpty()) {
        continue;
      }
      anyModelKnown = true;
      candidates.addAll(candidatesFor(model.get(), request, loaded, own, refusals));
    }
    if (!anyModelKnown) {
      String first = request.models().get(0);
      if (loaded.catalog().lacksFreeEndpoint(first)) {
        throw new ApiException(
            404,
            "No free endpoint exists for "
                + first.substring(0, first.length() - Catalog.FREE_SUFFIX.length())
                + ": no provider serves it at a zero price",
            Map.of("model", first));
      }
      throw ApiException.badRequest(request.models().get(0) + " is not a valid model ID");
    }
    if (candidates.isEmpty()) {
      throw new ApiException(
          503,
          "No provider can serve this request: " + String.join("; ", refusals.values()),
          Map.of("refusals", refusals));
    }
    return candidates;
  }

  private List<Candidate> candidatesFor(
      CatalogModel model,
      ChatRequest request,
      LoadedCatalog loaded,
      OwnKeys own,
      Map<String, String> refusals) {
    ProviderPreferences prefs = request.provider();
    List<Candidate> fitting = new ArrayList<>();
    List<Candidate> ownKeyed = new ArrayList<>();
    long maxPrompt = Math.min(request.promptTokenBound(), model.contextLength());
    for (CatalogEndpoint endpoint : model.endpoints()) {
      CatalogProvider provider = loaded.catalog().provider(endpoint.providerSlug()).orElseThrow();
      String key = endpoint.priceKey();
      ProviderAvailability availability = loaded.availability(provider);
      Optional<WireFormat> wire = wires.of(provider.api());
      Optional<ProviderCredentials> ownKey;
      try {
        ownKey = own.of(provider.slug());
      } catch (SecretUnreadableException e) {
        // never the platform's key in place of one the organization set
        refusals.put(key, "your organization's key for " + provider.slug() + " cannot be read");
        continue;
      }
      boolean platformToo = ownKey.isEmpty() || !ownKey.get().alwaysUse();
      if (ownKey.isEmpty() && !availability.available()) {
        refusals.put(key, provider.slug() + " is unavailable (" + availability.reason() + ")");
        continue;
      }
      if (wire.isEmpty()) {
        refusals.put(
            key, provider.slug() + " speaks " + provider.api().wireName() + ", not supported yet");
        continue;
      }
      if (!prefs.only().isEmpty() && !prefs.only().contains(provider.slug())) {
        refusals.put(key, provider.slug() + " is not in provider.only");
        continue;
      }
      if (prefs.ignore().contains(provider.slug())) {
        refusals.put(key, provider.slug() + " is in provider.ignore");
        continue;
      }
      if (!prefs.allowFallbacks()
          && !prefs.order().isEmpty()
          && !prefs.order().contains(provider.slug())) {
        refusals.put(key, provider.slug() + " is not in provider.order and fallbacks are off");
        continue;
      }
      List<String> supported = endpoint.supportedParameters();
      List<String> unsupported =
          supported.isEmpty()
              ? List.of()
              : request.parametersUsed().stream()
                  .filter(p -> !supported.contains(p))
                  .sorted()
                  .toList();
      if (prefs.requireParameters() && !unsupported.isEmpty()) {
        refusals.put(key, provider.slug() + " does not support " + unsupported);
        continue;
      }
      long cap = completionCap(model, endpoint, request, maxPrompt);
      if (cap < 1) {
        refusals.put(
            key,
            provider.slug()
                + " cannot take max_tokens "
                + request.maxTokens()
                + " (limit "
                + Optional.ofNullable(endpoint.maxCompletionTokens()).orElse(model.contextLength())
                + ")");
        continue;
      }
      ObjectNode body = request.providerBody().deepCopy();
      unsupported.forEach(body::remove);
      body.put("model", model.id());
      body.put("max_tokens", cap);
      Candidate candidate =
          new Candidate(
              model,
              endpoint,
              provider,
              wire.get(),
              loaded.apiKey(provider),
              false,
              false,
              loaded.priceId(endpoint),
              cap,
              maxPrompt,
              body);
      ownKey.ifPresent(k -> ownKeyed.add(candidate.withOwnKey(k)));
      if (platformToo && availability.available()) {
        fitting.add(candidate);
      }
    }
    ownKeyed.sort(order(prefs));
    fitting.sort(order(prefs));
    ownKeyed.addAll(fitting);
    return ownKeyed;
  }

  /**
   * The most completion tokens this endpoint may produce for the request; below 1 when it cannot
   * serve.
   */
  private static long completionCap(
      CatalogModel model, CatalogEndpoint endpoint, ChatRequest request, long maxPrompt) {
    long endpointLimit =
        endpoint.maxCompletionTokens() != null
            ? endpoint.maxCompletionTokens()
            : model.contextLength();
    if (request.maxTokens() != null) {
      return request.maxTokens() <= endpointLimit ? request.maxTokens() : 0;
    }
    // no max_tokens given: the endpoint's own limit, or whatever the context leaves
    long contextLeft =
        Math.max(1, model.contextLength() - Math.min(maxPrompt, request.promptTokenEstimate()));
    return Math.min(endpointLimit, contextLeft);
  }

  private static Comparator<Candidate> order(ProviderPreferences prefs) {
    Comparator<Candidate> byPrice =
        Comparator.comparingLong(
            c ->
                c.endpoint().pricing().promptPerMillion()
                    + c.endpoint().pricing().completionPerMillion());
    if (prefs.order().isEmpty()) {
      return byPrice;
    }
    return Comparator.comparingInt(
            (Candidate c) -> {
              int index = prefs.order().indexOf(c.provider().slug());
              return index < 0 ? Integer.MAX_VALUE : index;
            })
        .thenComparing(byPrice);
  }
}
