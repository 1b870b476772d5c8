package dev.switchboard.api.inference;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.domain.catalog.Catalog;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.money.CostCalculator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code switchboard/auto} (also {@code openrouter/auto}) picks the models of a request by rules
 * anyone can check (the README states them): a model qualifies when it takes the request's images
 * (its catalog {@code input_modalities}), its context holds the prompt and {@code max_tokens}, and
 * one of its endpoints is available, supports every parameter the request uses, can produce {@code
 * max_tokens} and stays within {@code provider.max_price}; the qualifying models are ranked by what
 * this request would cost at their cheapest such endpoint (the prompt, and {@code max_tokens} — or
 * 1,000 tokens when it is not set — at the dearest completion price), and the first three are tried
 * in that order. Pure: reads only the catalog snapshot.
 */
final class AutoRouter {

  static final Set<String> IDS = Set.of("switchboard/auto", "openrouter/auto");
  static final int CHOICES = 3;
  static final long ASSUMED_COMPLETION_TOKENS = 1_000;

  private AutoRouter() {}

  static boolean isAuto(String modelId) {
    return IDS.contains(modelId);
  }

  /** The models to try for {@code request}, best first; empty when none qualifies. */
  static List<String> choose(ChatRequest request, LoadedCatalog loaded) {
    record Ranked(String model, long cost) {}
    List<Ranked> ranked = new ArrayList<>();
    long completion = request.maxTokens() != null ? request.maxTokens() : ASSUMED_COMPLETION_TOKENS;
    long needed =
        request.promptTokenEstimate() + (request.maxTokens() != null ? request.maxTokens() : 0);
    for (CatalogModel model : loaded.catalog().models()) {
      if (Catalog.isFreeVariant(model.id())
          || (request.hasImages() && !model.takesImages())
          || needed > model.contextLength()) {
        continue;
      }
      model.endpoints().stream()
          .filter(endpoint -> serves(endpoint, request, loaded))
          .mapToLong(
              endpoint ->
                  CostCalculator.worstCase(
                          endpoint.pricing(), request.promptTokenEstimate(), completion)
                      .nanos())
          .min()
          .ifPresent(cost -> ranked.add(new Ranked(model.id(), cost)));
    }
    return ranked.stream()
        .sorted(Comparator.comparingLong(Ranked::cost).thenComparing(Ranked::model))
        .limit(CHOICES)
        .map(Ranked::model)
        .toList();
  }

  /** What a request asked of the auto router that no model met, for the refusal. */
  static String needs(ChatRequest request) {
    List<String> needs = new ArrayList<>();
    if (request.hasImages()) {
      needs.add("takes images");
    }
    needs.add(
        "holds "
            + (request.promptTokenEstimate()
                + (request.maxTokens() != null ? request.maxTokens() : 0))
            + " tokens of context");
    if (!request.parametersUsed().isEmpty()) {
      needs.add("supports " + String.join(", ", new TreeSet<>(request.parametersUsed())));
    }
    if (request.provider().maxPrice().isSet()) {
      needs.add("costs no more than provider.max_price");
    }
    return String.join(", ", needs);
  }

  private static boolean serves(
      CatalogEndpoint endpoint, ChatRequest request, LoadedCatalog loaded) {
    CatalogProvider provider = loaded.catalog().provider(endpoint.providerSlug()).orElseThrow();
    if (!loaded.availability(provider).available()) {
      return false;
    }
    List<String> supported = endpoint.supportedParameters();
    if (!supported.isEmpty() && !supported.containsAll(request.parametersUsed())) {
      return false;
    }
    if (request.maxTokens() != null
        && endpoint.maxCompletionTokens() != null
        && request.maxTokens() > endpoint.maxCompletionTokens()) {
      return false;
    }
    return RoutePlanner.overMaxPrice(endpoint.pricing(), request.provider().maxPrice()).isEmpty();
  }
}
