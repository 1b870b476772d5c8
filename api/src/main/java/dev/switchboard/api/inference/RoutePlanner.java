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
import dev.switchboard.domain.money.Pricing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleSupplier;

/**
 * Orders the endpoints a request may use: its models in order ({@code model}, then the {@code
 * models} fallbacks), for each the endpoints that are available, fit the request and satisfy the
 * provider preferences, cheapest first unless an order is given. Where the organization brought its
 * own key for a provider (BYOK), that provider's endpoints are tried with it first, then, unless
 * the key is marked {@code always_use}, with the platform's key after the model's other endpoints.
 * Pure: reads only the catalog snapshot and the organization's keys it is given.
 */
public final class RoutePlanner {

  /**
   * Variants that order a model's endpoints: {@code :floor} cheapest first, {@code :nitro} highest
   * throughput first (as {@code provider.sort} would, for that model alone).
   */
  private static final Map<String, ProviderPreferences.SortBy> ORDER_VARIANTS =
      Map.of(
          ":floor", ProviderPreferences.SortBy.PRICE,
          ":nitro", ProviderPreferences.SortBy.THROUGHPUT);

  /**
   * Whether a model id names a variant that orders its endpoints ({@code :floor}, {@code :nitro}).
   */
  static boolean ordersByVariant(String modelId) {
    return ORDER_VARIANTS.keySet().stream().anyMatch(modelId::endsWith);
  }

  private final WireFormats wires;
  private final EndpointFigures figures;
  private final DoubleSupplier spread;

  /** A planner that orders by price alone, with no measured figures. */
  public RoutePlanner(WireFormats wires) {
    this(wires, EndpointFigures.NONE, null);
  }

  /**
   * @param figures each endpoint's measured throughput and latency, for the throughput and latency
   *     sorts and preferences
   * @param spread uniform draws in [0, 1) that spread the default order's first attempt over a
   *     model's endpoints (see {@link #spread}); null to put the cheapest first
   */
  public RoutePlanner(WireFormats wires, EndpointFigures figures, DoubleSupplier spread) {
    this.wires = wires;
    this.figures = figures;
    this.spread = spread;
  }

  /**
   * What this instance measured of an endpoint's recent traffic: its median output tokens per
   * second and seconds to the first token, empty where it has too little traffic to tell.
   */
  public interface EndpointFigures {
    EndpointFigures NONE =
        new EndpointFigures() {
          @Override
          public OptionalDouble throughput(CatalogEndpoint endpoint) {
            return OptionalDouble.empty();
          }

          @Override
          public OptionalDouble latencySeconds(CatalogEndpoint endpoint) {
            return OptionalDouble.empty();
          }

          @Override
          public boolean breakerOpen(CatalogEndpoint endpoint) {
            return false;
          }
        };

    OptionalDouble throughput(CatalogEndpoint endpoint);

    OptionalDouble latencySeconds(CatalogEndpoint endpoint);

    /**
     * Whether the endpoint failed so much lately that it is only tried once the others have been.
     */
    boolean breakerOpen(CatalogEndpoint endpoint);
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
    List<Candidate> ownKeyed = new ArrayList<>();
    List<Candidate> platform = new ArrayList<>();
    Map<String, String> refusals = new LinkedHashMap<>();
    ProviderPreferences prefs = request.provider();
    boolean acrossModels = prefs.sort() != null && prefs.sort().acrossModels();
    boolean anyModelKnown = false;
    for (String modelId : withAutoChoices(request, loaded)) {
      ProviderPreferences modelPrefs = prefs;
      Optional<CatalogModel> model = loaded.catalog().model(modelId);
      for (Map.Entry<String, ProviderPreferences.SortBy> variant : ORDER_VARIANTS.entrySet()) {
        if (model.isEmpty() && modelId.endsWith(variant.getKey())) {
          String base = modelId.substring(0, modelId.length() - variant.getKey().length());
          model = loaded.catalog().model(base);
          modelPrefs = prefs.sortedBy(variant.getValue());
        }
      }
      if (model.isEmpty()) {
        continue;
      }
      anyModelKnown = true;
      List<Candidate> modelOwnKeyed = new ArrayList<>();
      List<Candidate> modelPlatform = new ArrayList<>();
      candidatesFor(
          model.get(), request, modelPrefs, loaded, own, refusals, modelOwnKeyed, modelPlatform);
      if (acrossModels) {
        ownKeyed.addAll(modelOwnKeyed);
        platform.addAll(modelPlatform);
      } else {
        candidates.addAll(ordered(modelOwnKeyed, modelPrefs));
        candidates.addAll(ordered(modelPlatform, modelPrefs));
      }
    }
    if (acrossModels) {
      // partition "none": one order over every model's endpoints, own keys first
      candidates.addAll(ordered(ownKeyed, prefs));
      candidates.addAll(ordered(platform, prefs));
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

  /**
   * The request's models with {@code switchboard/auto} replaced by the models it chooses ({@link
   * AutoRouter}); a 404 saying what the request needs when it chooses none and nothing else is
   * asked for.
   */
  private static List<String> withAutoChoices(ChatRequest request, LoadedCatalog loaded) {
    if (request.models().stream().noneMatch(AutoRouter::isAuto)) {
      return request.models();
    }
    LinkedHashSet<String> models = new LinkedHashSet<>();
    for (String id : request.models()) {
      if (AutoRouter.isAuto(id)) {
        models.addAll(AutoRouter.choose(request, loaded));
      } else {
        models.add(id);
      }
    }
    if (models.isEmpty()) {
      throw new ApiException(
          404,
          "No model in the catalog meets this request for "
              + request.models().get(0)
              + ": it needs one that "
              + AutoRouter.needs(request),
          Map.of("model", request.models().get(0)));
    }
    return List.copyOf(models);
  }

  /**
   * Adds the model's endpoints that may serve the request to {@code ownKeyed} (through the
   * organization's own keys) and {@code fitting} (through the platform's), unordered, and says in
   * {@code refusals} why each other endpoint may not.
   */
  private void candidatesFor(
      CatalogModel model,
      ChatRequest request,
      ProviderPreferences prefs,
      LoadedCatalog loaded,
      OwnKeys own,
      Map<String, String> refusals,
      List<Candidate> ownKeyed,
      List<Candidate> fitting) {
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
      if (prefs.denyDataCollection()
          && (provider.dataPolicy().training() || provider.dataPolicy().retainsPrompts())) {
        refusals.put(
            key,
            provider.slug()
                + (provider.dataPolicy().training() ? " may train on" : " keeps")
                + " prompts and provider.data_collection is deny");
        continue;
      }
      if (prefs.zeroDataRetention() && provider.dataPolicy().retainsPrompts()) {
        refusals.put(key, provider.slug() + " keeps prompts and provider.zdr is true");
        continue;
      }
      if (!prefs.acceptsQuantization(endpoint.quantization())) {
        refusals.put(
            key,
            provider.slug()
                + " serves "
                + Optional.ofNullable(endpoint.quantization()).orElse("an unnamed quantization")
                + ", not in provider.quantizations");
        continue;
      }
      Optional<String> overPrice = overMaxPrice(endpoint.pricing(), prefs.maxPrice());
      if (overPrice.isPresent()) {
        refusals.put(key, provider.slug() + " costs " + overPrice.get());
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
  }

  /** What of an endpoint's prices is above the caller's ceiling, said for a refusal. */
  static Optional<String> overMaxPrice(Pricing pricing, ProviderPreferences.MaxPrice max) {
    if (max.promptPerMillion() != null && pricing.promptPerMillion() > max.promptPerMillion()) {
      return Optional.of(
          perMillion(pricing.promptPerMillion())
              + " per million prompt tokens, above provider.max_price.prompt "
              + perMillion(max.promptPerMillion()));
    }
    if (max.completionPerMillion() != null
        && pricing.completionPerMillion() > max.completionPerMillion()) {
      return Optional.of(
          perMillion(pricing.completionPerMillion())
              + " per million completion tokens, above provider.max_price.completion "
              + perMillion(max.completionPerMillion()));
    }
    if (max.request() != null && pricing.perRequest() > max.request()) {
      return Optional.of(
          "$"
              + Pricing.usd(pricing.perRequest())
              + " a request, above provider.max_price.request $"
              + Pricing.usd(max.request()));
    }
    if (max.image() != null && pricing.perImage() != null && pricing.perImage() > max.image()) {
      return Optional.of(
          "$"
              + Pricing.usd(pricing.perImage())
              + " an image, above provider.max_price.image $"
              + Pricing.usd(max.image()));
    }
    return Optional.empty();
  }

  private static String perMillion(long nanos) {
    return "$" + Pricing.usd(nanos);
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

  /**
   * The candidates in the order the preferences ask for (a stable sort): endpoints whose breaker is
   * open last, as fallbacks; then an explicit {@code order}; then endpoints that meet the soft
   * throughput and latency preferences (an endpoint without figures is taken to meet them) before
   * those that miss; then the sort: price (the default), throughput (highest first) or latency
   * (lowest first), endpoints without figures after those with, by price.
   */
  private List<Candidate> ordered(List<Candidate> candidates, ProviderPreferences prefs) {
    if (candidates.size() < 2) {
      return candidates;
    }
    // each endpoint's figures read once, not once per comparison
    Map<CatalogEndpoint, Figures> measured = new IdentityHashMap<>();
    ProviderPreferences.SortBy sortBy = prefs.sort() == null ? null : prefs.sort().by();
    for (Candidate c : candidates) {
      measured.computeIfAbsent(c.endpoint(), e -> Figures.of(figures, e, prefs, sortBy));
    }
    Comparator<Candidate> byPrice = Comparator.comparingLong(RoutePlanner::tokenPrice);
    Comparator<Candidate> bySort = byPrice;
    if (sortBy == ProviderPreferences.SortBy.THROUGHPUT) {
      bySort =
          Comparator.comparingDouble((Candidate c) -> -measured.get(c.endpoint()).throughput())
              .thenComparing(byPrice);
    } else if (sortBy == ProviderPreferences.SortBy.LATENCY) {
      bySort =
          Comparator.comparingDouble((Candidate c) -> measured.get(c.endpoint()).latency())
              .thenComparing(byPrice);
    }
    Comparator<Candidate> order =
        Comparator.comparing((Candidate c) -> measured.get(c.endpoint()).breakerOpen())
            .thenComparingInt(
                c -> {
                  int index = prefs.order().indexOf(c.provider().slug());
                  return index < 0 ? Integer.MAX_VALUE : index;
                })
            .thenComparing(c -> measured.get(c.endpoint()).missesPreferences())
            .thenComparing(bySort);
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(order);
    if (spread != null && sortBy == null && prefs.order().isEmpty()) {
      return spread(sorted, measured);
    }
    return sorted;
  }

  /**
   * The default order, as OpenRouter balances load: the first attempt goes to an endpoint drawn at
   * random among those whose breaker is closed and that meet the preferences, weighted by the
   * inverse square of its price per token (prompt + completion), so one at a third of the price
   * gets nine times the traffic; an endpoint that costs nothing is always first. The others follow
   * as they were ordered, cheapest first, as fallbacks.
   */
  private List<Candidate> spread(List<Candidate> sorted, Map<CatalogEndpoint, Figures> measured) {
    int eligible = 0;
    while (eligible < sorted.size()) {
      Figures f = measured.get(sorted.get(eligible).endpoint());
      if (f.breakerOpen() || f.missesPreferences()) {
        break;
      }
      eligible++;
    }
    if (eligible < 2 || tokenPrice(sorted.get(0)) == 0) {
      return sorted;
    }
    double[] cumulative = new double[eligible];
    double total = 0;
    for (int i = 0; i < eligible; i++) {
      double price = tokenPrice(sorted.get(i));
      total += 1 / (price * price);
      cumulative[i] = total;
    }
    double draw = spread.getAsDouble() * total;
    int chosen = 0;
    while (chosen < eligible - 1 && draw >= cumulative[chosen]) {
      chosen++;
    }
    return firstAt(sorted, chosen);
  }

  /** The candidates with the one at {@code index} moved first, the others in their order. */
  static List<Candidate> firstAt(List<Candidate> candidates, int index) {
    if (index == 0) {
      return candidates;
    }
    List<Candidate> reordered = new ArrayList<>(candidates.size());
    reordered.add(candidates.get(index));
    for (int i = 0; i < candidates.size(); i++) {
      if (i != index) {
        reordered.add(candidates.get(i));
      }
    }
    return reordered;
  }

  /**
   * What ordering needs of an endpoint's figures: throughput (−1 when unmeasured, so it goes after
   * every measured one), latency (infinite when unmeasured), whether it misses the preferences.
   */
  private record Figures(
      double throughput, double latency, boolean breakerOpen, boolean missesPreferences) {

    static Figures of(
        EndpointFigures figures,
        CatalogEndpoint endpoint,
        ProviderPreferences prefs,
        ProviderPreferences.SortBy sortBy) {
      boolean wantsThroughput =
          sortBy == ProviderPreferences.SortBy.THROUGHPUT || prefs.preferredMinThroughput() != null;
      boolean wantsLatency =
          sortBy == ProviderPreferences.SortBy.LATENCY || prefs.preferredMaxLatency() != null;
      OptionalDouble throughput =
          wantsThroughput ? figures.throughput(endpoint) : OptionalDouble.empty();
      OptionalDouble latency =
          wantsLatency ? figures.latencySeconds(endpoint) : OptionalDouble.empty();
      boolean misses =
          (prefs.preferredMinThroughput() != null
                  && throughput.isPresent()
                  && throughput.getAsDouble() < prefs.preferredMinThroughput())
              || (prefs.preferredMaxLatency() != null
                  && latency.isPresent()
                  && latency.getAsDouble() > prefs.preferredMaxLatency());
      return new Figures(
          throughput.orElse(-1),
          latency.orElse(Double.POSITIVE_INFINITY),
          figures.breakerOpen(endpoint),
          misses);
    }
  }

  private static long tokenPrice(Candidate c) {
    return c.endpoint().pricing().promptPerMillion()
        + c.endpoint().pricing().completionPerMillion();
  }
}
