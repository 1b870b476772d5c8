package dev.switchboard.api.rest.account;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.domain.catalog.PriceBook;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.ledger.SettlementQueue;
import dev.switchboard.domain.money.CostCalculator;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.GenerationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /generation?id=}: one generation, to its own organization only (any other answers
 * 404).
 */
@Path("/generation")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class GenerationResource {

  /**
   * The generation in OpenRouter's field names; costs in USD. {@code cacheDiscount} is what the
   * provider's prompt cache took off the list price (negative when cache writes cost more than
   * reads saved), null when the prompt neither read from nor wrote to a cache.
   */
  public record GenerationView(
      String id,
      String model,
      String providerName,
      String upstreamModel,
      BigDecimal totalCost,
      BigDecimal upstreamInferenceCost,
      BigDecimal cacheDiscount,
      long tokensPrompt,
      long tokensCompletion,
      long nativeTokensPrompt,
      long nativeTokensCompletion,
      long nativeTokensReasoning,
      long nativeTokensCached,
      long nativeTokensCacheWrite,
      boolean usageEstimated,
      long latency,
      long generationTime,
      Long timeToFirstToken,
      boolean streamed,
      boolean cancelled,
      String finishReason,
      String nativeFinishReason,
      boolean isByok,
      String apiType,
      String httpReferer,
      String appTitle,
      String createdAt,
      List<ProviderResponseView> providerResponses) {

    static GenerationView of(Generation g, BigDecimal cacheDiscount) {
      return new GenerationView(
          g.id(),
          g.model(),
          g.providerSlug(),
          g.upstreamModel(),
          g.cost().toUsd(),
          g.upstreamCost().toUsd(),
          cacheDiscount,
          g.usage().promptTokens(),
          g.usage().completionTokens(),
          g.usage().promptTokens(),
          g.usage().completionTokens(),
          g.usage().reasoningTokens(),
          g.usage().cachedPromptTokens(),
          g.usage().cacheWriteTokens(),
          g.usageEstimated(),
          g.latencyMillis(),
          g.generationTimeMillis(),
          g.timeToFirstTokenMillis(),
          g.streamed(),
          g.cancelled(),
          g.finishReason(),
          g.nativeFinishReason(),
          g.byok(),
          g.apiType(),
          g.httpReferer(),
          g.appTitle(),
          g.createdAt().toString(),
          ProviderResponseView.of(g));
    }
  }

  /**
   * One attempt at a provider, as OpenRouter's {@code provider_responses} list them, with {@code
   * error}, the kind of failure (null for the attempt that answered). {@code status} is null when
   * the provider sent none (a refused or cut connection, a timeout).
   */
  public record ProviderResponseView(
      String providerName,
      String modelPermaslug,
      Integer status,
      String error,
      long latency,
      boolean isByok) {

    /** Every attempt in order; a generation its first attempt answered has one. */
    static List<ProviderResponseView> of(Generation g) {
      if (g.providerResponses().isEmpty()) {
        return List.of(
            new ProviderResponseView(
                g.providerSlug(), g.model(), 200, null, g.latencyMillis(), g.byok()));
      }
      return g.providerResponses().stream()
          .map(
              r ->
                  new ProviderResponseView(
                      r.provider(), r.model(), r.status(), r.error(), r.latencyMs(), r.byok()))
          .toList();
    }
  }

  @Inject KeyAuthenticator authenticator;
  @Inject GenerationRepository generations;
  @Inject PriceBook prices;
  @Inject SettlementQueue settlements;

  @GET
  public Map<String, GenerationView> generation(
      @HeaderParam("Authorization") String authorization, @QueryParam("id") String id) {
    ApiKey key = authenticator.authenticate(authorization);
    if (id == null || id.isBlank()) {
      throw ApiException.badRequest("The query parameter 'id' is required");
    }
    if (!id.startsWith("gen-") || id.length() > 100) {
      throw ApiException.notFound(
          "No generation " + (id.length() > 100 ? id.substring(0, 100) : id));
    }
    // a generation is written just after its response; wait for it rather than answer 404
    settlements.awaitSettled(Duration.ofSeconds(5));
    Generation generation =
        generations
            .findForOrg(key.orgId(), id)
            .orElseThrow(() -> ApiException.notFound("No generation " + id));
    return Map.of("data", GenerationView.of(generation, cacheDiscount(generation)));
  }

  private BigDecimal cacheDiscount(Generation generation) {
    TokenUsage usage = generation.usage();
    if (usage.cachedPromptTokens() == 0 && usage.cacheWriteTokens() == 0) {
      return null;
    }
    return CostCalculator.cacheDiscount(prices.priceById(generation.priceId()), usage).toUsd();
  }
}
