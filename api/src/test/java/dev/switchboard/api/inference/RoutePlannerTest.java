package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.api.provider.anthropic.AnthropicWire;
import dev.switchboard.api.provider.gemini.GeminiWire;
import dev.switchboard.api.provider.openai.OpenAiWire;
import dev.switchboard.domain.byok.ProviderCredentials;
import dev.switchboard.domain.byok.ProviderSecret;
import dev.switchboard.domain.byok.SecretUnreadableException;
import dev.switchboard.domain.money.CostCalculator;
import dev.switchboard.domain.money.Credits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {

  /**
   * acme/chat has four endpoints; by price (prompt + completion per token): down (unavailable)
   * $0.2/M, cheapco $2/M (fp8), anthro $6/M (keeps prompts), pricey $18/M (bf16; keeps prompts and
   * trains on them). A provider without a data_policy (down) is taken to train on and keep prompts.
   */
  private static final String CATALOG =
"""
providers:
        - slug: cheapco
          name: CheapCo
          api: openai
          base_url: "https://cheap.example/v1"
          api_key_env: CHEAP_KEY
          data_policy: {training: false, retains_prompts: false}
        - slug: pricey
          name: Pricey
          api: openai
          base_url: "https://pricey.example/v1"
          api_key_env: PRICEY_KEY
          data_policy: {training: true, retains_prompts: true}
        - slug: anthro
          name: Anthro
          api: anthropic
          base_url: "https://anthro.example/v1"
          api_key_env: ANTHRO_KEY
          data_policy: {training: false, retains_prompts: true}
        - slug: gem
          name: Gem
          api: gemini
          base_url: "https://gem.example/v1beta"
          api_key_env: GEM_KEY
          data_policy: {training: false, retains_prompts: false}
        - slug: down
          name: Down
          api: openai
          base_url: "https://down.example/v1"
          api_key_env: DOWN_KEY
models:
  - id: acme/chat
    name: Acme Chat
    context_length: 100000
    input_modalities: [text, image]
    endpoints:
      - provider: pricey
        upstream_model: chat-large
        pricing: {prompt: "0.000003", completion: "0.000015"}
        max_completion_tokens: 8192
        quantization: bf16
        supported_parameters: [temperature, top_p, stop, seed, tools, tool_choice, response_format]
      - provider: cheapco
        upstream_model: chat
        pricing: {prompt: "0.0000005", completion: "0.0000015"}
        max_completion_tokens: 4096
        quantization: fp8
        supported_parameters: [temperature, top_p, stop]
      - provider: anthro
        upstream_model: claude-chat
        pricing: {prompt: "0.000001", completion: "0.000005", internal_reasoning: "0.00002"}
      - provider: down
        upstream_model: chat-down
        pricing: {prompt: "0.0000001", completion: "0.0000001"}
  - id: acme/mini
    name: Acme Mini
    context_length: 32000
    endpoints:
      - provider: gem
        upstream_model: gem-mini
        pricing: {prompt: "0.00000015", completion: "0.0000006"}
      - provider: cheapco
        upstream_model: mini
        pricing: {prompt: "0.0000001", completion: "0.0000004"}
        max_completion_tokens: 16384
      - provider: pricey
        upstream_model: mini-free
        pricing: {prompt: "0", completion: "0", request: "0"}
        max_completion_tokens: 1024
  - id: acme/lonely
    name: Acme Lonely
    context_length: 8000
    endpoints:
      - provider: down
        upstream_model: lonely
        pricing: {prompt: "0.000001", completion: "0.000002"}
""";

  private static final String DOWN_REASON = "DOWN_KEY is not set";

  private final LoadedCatalog loaded =
      LoadedCatalogs.of(CATALOG, Map.of("down", ProviderAvailability.unavailable(DOWN_REASON)));
  private final RoutePlanner planner = new RoutePlanner(new WireFormats());

  private List<Candidate> plan(ChatRequests request) {
    return planner.plan(request.parse(), loaded);
  }

  private static List<String> providers(List<Candidate> candidates) {
    return candidates.stream().map(c -> c.model().id() + "@" + c.provider().slug()).toList();
  }

  private ApiException refusal(ChatRequests request) {
    ApiException e = catchThrowableOfType(ApiException.class, () -> plan(request));
    assertThat(e).as("the plan should have been refused").isNotNull();
    return e;
  }

  @Test
  void refusesAnUnknownModel() {
    ApiException e = refusal(chat("acme/nope"));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("acme/nope is not a valid model ID");
  }

  @Test
  void routesAFreeVariantOnlyToTheModelsEndpointsPricedAtZero() {
    List<Candidate> free = plan(chat("acme/mini:free"));

    assertThat(providers(free)).containsExactly("acme/mini:free@pricey");
    assertThat(free.get(0).worstCase()).isEqualTo(Credits.ZERO);
    assertThat(providers(plan(chat("acme/mini")))).doesNotContain("acme/mini:free@pricey");
  }

  @Test
  void refusesAFreeVariantOfAModelWithoutAFreeEndpointAsNotFound() {
    ApiException e = refusal(chat("acme/chat:free"));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage())
        .isEqualTo("No free endpoint exists for acme/chat: no provider serves it at a zero price");
    assertThat(refusal(chat("acme/nope:free")).status()).isEqualTo(400);
  }

  @Test
  void ordersAvailableEndpointsCheapestFirst() {
    List<Candidate> candidates = plan(chat("acme/chat"));

    assertThat(providers(candidates))
        .containsExactly("acme/chat@cheapco", "acme/chat@anthro", "acme/chat@pricey");
  }

  @Test
  void givesEachCandidateItsWireKeyPriceRowAndUpstreamModel() {
    List<Candidate> candidates = plan(chat("acme/chat").with("models", "[\"acme/mini\"]"));

    assertThat(candidates)
        .extracting(c -> c.wire().getClass(), Candidate::apiKey, c -> c.endpoint().upstreamModel())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(OpenAiWire.class, "key-cheapco", "chat"),
            org.assertj.core.groups.Tuple.tuple(AnthropicWire.class, "key-anthro", "claude-chat"),
            org.assertj.core.groups.Tuple.tuple(OpenAiWire.class, "key-pricey", "chat-large"),
            org.assertj.core.groups.Tuple.tuple(OpenAiWire.class, "key-cheapco", "mini"),
            org.assertj.core.groups.Tuple.tuple(GeminiWire.class, "key-gem", "gem-mini"));
    assertThat(candidates)
        .allSatisfy(c -> assertThat(c.priceId()).isEqualTo(loaded.priceId(c.endpoint())));
    assertThat(candidates.get(0).call(true).upstreamModel()).isEqualTo("chat");
  }

  @Test
  void putsTheProvidersOfProviderOrderFirstThenTheRestByPrice() {
    List<Candidate> candidates =
        plan(chat("acme/chat").with("provider", "{\"order\":[\"pricey\",\"anthro\"]}"));

    assertThat(providers(candidates))
        .containsExactly("acme/chat@pricey", "acme/chat@anthro", "acme/chat@cheapco");
  }

  @Test
  void usesOnlyTheProvidersOfProviderOnly() {
    List<Candidate> candidates =
        plan(chat("acme/chat").with("provider", "{\"only\":[\"pricey\",\"anthro\"]}"));

    assertThat(providers(candidates)).containsExactly("acme/chat@anthro", "acme/chat@pricey");
  }

  @Test
  void skipsTheProvidersOfProviderIgnore() {
    List<Candidate> candidates =
        plan(chat("acme/chat").with("provider", "{\"ignore\":[\"cheapco\"]}"));

    assertThat(providers(candidates)).containsExactly("acme/chat@anthro", "acme/chat@pricey");
  }

  @Test
  void usesOnlyTheOrderedProvidersWhenFallbacksAreOff() {
    List<Candidate> candidates =
        plan(
            chat("acme/chat")
                .with("provider", "{\"order\":[\"pricey\",\"anthro\"],\"allow_fallbacks\":false}"));

    assertThat(providers(candidates)).containsExactly("acme/chat@pricey", "acme/chat@anthro");
  }

  @Test
  void refusesWithTheReasonsWhenNoOrderedProviderCanServeAndFallbacksAreOff() {
    ApiException e =
        refusal(
            chat("acme/chat")
                .with("provider", "{\"order\":[\"nobody\"],\"allow_fallbacks\":false}"));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.metadata().get("refusals"))
        .isEqualTo(
            Map.of(
                "acme/chat@pricey", "pricey is not in provider.order and fallbacks are off",
                "acme/chat@cheapco", "cheapco is not in provider.order and fallbacks are off",
                "acme/chat@anthro", "anthro is not in provider.order and fallbacks are off",
                "acme/chat@down", "down is unavailable (" + DOWN_REASON + ")"));
  }

  @Test
  void excludesAnEndpointLackingAUsedParameterWhenParametersAreRequired() {
    List<Candidate> candidates =
        plan(chat("acme/chat").with("seed", "7").with("provider", "{\"require_parameters\":true}"));

    assertThat(providers(candidates)).containsExactly("acme/chat@anthro", "acme/chat@pricey");
    assertThat(candidates).allSatisfy(c -> assertThat(c.body().get("seed").asInt()).isEqualTo(7));
  }

  @Test
  void namesTheMissingParametersWhenTheOnlyAllowedEndpointLacksThem() {
    ApiException e =
        refusal(
            chat("acme/chat")
                .with("seed", "7")
                .with("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]")
                .with("provider", "{\"require_parameters\":true,\"only\":[\"cheapco\"]}"));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.metadata().get("refusals"))
        .isEqualTo(
            Map.of(
                "acme/chat@pricey", "pricey is not in provider.only",
                "acme/chat@cheapco", "cheapco does not support [seed, tools]",
                "acme/chat@anthro", "anthro is not in provider.only",
                "acme/chat@down", "down is unavailable (" + DOWN_REASON + ")"));
  }

  @Test
  void treatsAnEndpointWithoutSupportedParametersAsSupportingAll() {
    List<Candidate> candidates =
        plan(chat("acme/mini").with("seed", "7").with("provider", "{\"require_parameters\":true}"));

    assertThat(providers(candidates)).containsExactly("acme/mini@cheapco", "acme/mini@gem");
    assertThat(candidates).allSatisfy(c -> assertThat(c.body().get("seed").asInt()).isEqualTo(7));
  }

  @Test
  void dropsAnUnsupportedParameterFromThatEndpointsBodyWhenParametersAreNotRequired() {
    List<Candidate> candidates =
        plan(chat("acme/chat").with("seed", "7").with("temperature", "0.3"));

    assertThat(providers(candidates))
        .containsExactly("acme/chat@cheapco", "acme/chat@anthro", "acme/chat@pricey");
    Candidate cheapco = candidates.get(0);
    assertThat(cheapco.body().has("seed")).isFalse();
    assertThat(cheapco.body().get("temperature").decimalValue()).isEqualByComparingTo("0.3");
    assertThat(candidates.get(1).body().get("seed").asInt()).isEqualTo(7);
    assertThat(candidates.get(2).body().get("seed").asInt()).isEqualTo(7);
  }

  @Test
  void excludesAnEndpointWhoseMaxCompletionTokensIsBelowMaxTokens() {
    List<Candidate> candidates = plan(chat("acme/chat").with("max_tokens", "6000"));

    assertThat(providers(candidates)).containsExactly("acme/chat@anthro", "acme/chat@pricey");
    assertThat(candidates).allSatisfy(c -> assertThat(c.maxCompletionTokens()).isEqualTo(6000));
  }

  @Test
  void acceptsMaxTokensEqualToTheEndpointsLimit() {
    List<Candidate> candidates = plan(chat("acme/chat").with("max_tokens", "4096"));

    assertThat(providers(candidates))
        .containsExactly("acme/chat@cheapco", "acme/chat@anthro", "acme/chat@pricey");
  }

  @Test
  void refusesWithEveryReasonWhenNoEndpointCanTakeMaxTokens() {
    ApiException e = refusal(chat("acme/mini").with("max_tokens", "40000"));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.metadata().get("refusals"))
        .isEqualTo(
            Map.of(
                "acme/mini@gem", "gem cannot take max_tokens 40000 (limit 32000)",
                "acme/mini@cheapco", "cheapco cannot take max_tokens 40000 (limit 16384)"));
    assertThat(e.getMessage())
        .isEqualTo(
            "No provider can serve this request: gem cannot take max_tokens 40000 (limit 32000);"
                + " cheapco cannot take max_tokens 40000 (limit 16384)");
  }

  @Test
  void excludesAnUnavailableProviderAndGivesTheReasonWhenNothingElseCanServe() {
    ApiException e = refusal(chat("acme/lonely"));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage())
        .isEqualTo("No provider can serve this request: down is unavailable (" + DOWN_REASON + ")");
    assertThat(e.metadata())
        .isEqualTo(
            Map.of(
                "refusals",
                Map.of("acme/lonely@down", "down is unavailable (" + DOWN_REASON + ")")));
  }

  @Test
  void addsTheFallbackModelsEndpointsAfterTheFirstModels() {
    List<Candidate> candidates = plan(chat("acme/mini").with("models", "[\"acme/chat\"]"));

    assertThat(providers(candidates))
        .containsExactly(
            "acme/mini@cheapco",
            "acme/mini@gem",
            "acme/chat@cheapco",
            "acme/chat@anthro",
            "acme/chat@pricey");
  }

  @Test
  void fallsBackToTheNextModelWhenTheFirstHasNoUsableEndpoint() {
    List<Candidate> candidates = plan(chat("acme/lonely").with("models", "[\"acme/mini\"]"));

    assertThat(providers(candidates)).containsExactly("acme/mini@cheapco", "acme/mini@gem");
  }

  @Test
  void setsModelAndMaxTokensInEveryCandidateBody() {
    ChatRequest request = chat("acme/chat").with("models", "[\"acme/mini\"]").parse();

    List<Candidate> candidates = planner.plan(request, loaded);

    long estimate = request.promptTokenEstimate();
    assertThat(candidates)
        .extracting(c -> c.body().get("model").asText(), c -> c.body().get("max_tokens").asLong())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme/chat", 4096L),
            org.assertj.core.groups.Tuple.tuple("acme/chat", 100_000L - estimate),
            org.assertj.core.groups.Tuple.tuple("acme/chat", 8192L),
            org.assertj.core.groups.Tuple.tuple("acme/mini", 16384L),
            org.assertj.core.groups.Tuple.tuple("acme/mini", 32_000L - estimate));
    assertThat(candidates)
        .allSatisfy(
            c ->
                assertThat(c.body().get("max_tokens").asLong()).isEqualTo(c.maxCompletionTokens()));
    assertThat(candidates)
        .allSatisfy(
            c ->
                assertThat(c.body().get("messages"))
                    .isEqualTo(request.providerBody().get("messages")));
  }

  @Test
  void leavesTheParsedRequestBodyUntouched() {
    ChatRequest request = chat("acme/chat").with("seed", "7").parse();
    var before = request.providerBody().deepCopy();

    planner.plan(request, loaded);

    assertThat(request.providerBody()).isEqualTo(before);
  }

  @Test
  void reservesTheWorstCaseOfEachCandidatesPrices() {
    ChatRequest request = chat("acme/chat").with("max_tokens", "1000").parse();

    List<Candidate> candidates = planner.plan(request, loaded);

    long prompt = request.promptTokenBound();
    assertThat(candidates)
        .allSatisfy(
            c -> {
              assertThat(c.maxPromptTokens()).isEqualTo(prompt);
              assertThat(c.worstCase())
                  .isEqualTo(
                      CostCalculator.worstCase(
                          c.endpoint().pricing(), c.maxPromptTokens(), c.maxCompletionTokens()));
            });
    // cheapco: $0.50/M prompt, $1.50/M completion, in nano-USD
    assertThat(candidates.get(0).worstCase())
        .isEqualTo(Credits.ofNanos(prompt * 500 + 1_000 * 1_500));
    // anthro: the reasoning price ($20/M) is dearer than completion ($5/M)
    assertThat(candidates.get(1).worstCase())
        .isEqualTo(Credits.ofNanos(prompt * 1_000 + 1_000 * 20_000));
  }

  @Test
  void capsThePromptReservationAtTheModelsContextLength() {
    ChatRequest request =
        chat("acme/lonely")
            .with("models", "[\"acme/mini\"]")
            .messages("[{\"role\":\"user\",\"content\":\"" + "x".repeat(40_000) + "\"}]")
            .with("max_tokens", "100")
            .parse();

    List<Candidate> candidates = planner.plan(request, loaded);

    assertThat(request.promptTokenBound()).isGreaterThan(32_000);
    assertThat(candidates).allSatisfy(c -> assertThat(c.maxPromptTokens()).isEqualTo(32_000));
  }

  // ---- the organization's own keys (BYOK)

  private static RoutePlanner.OwnKeys own(ProviderCredentials... credentials) {
    Map<String, ProviderCredentials> byProvider = new HashMap<>();
    for (ProviderCredentials c : credentials) {
      byProvider.put(c.provider(), c);
    }
    return provider -> Optional.ofNullable(byProvider.get(provider));
  }

  private static ProviderCredentials ownKey(String provider, boolean alwaysUse) {
    return new ProviderCredentials(
        provider, ProviderSecret.of("sk-own-" + provider), Optional.empty(), alwaysUse);
  }

  @Test
  void dataCollectionDenyKeepsOnlyProvidersThatNeitherTrainOnNorKeepPrompts() {
    List<Candidate> candidates =
        plan(chat("acme/chat").with("provider", "{\"data_collection\":\"deny\"}"));

    assertThat(providers(candidates)).containsExactly("acme/chat@cheapco");
  }

  @Test
  void zeroDataRetentionDropsProvidersThatKeepPrompts() {
    List<Candidate> candidates =
        plan(
            chat("acme/mini").with("models", "[\"acme/chat\"]").with("provider", "{\"zdr\":true}"));

    assertThat(providers(candidates))
        .containsExactly("acme/mini@cheapco", "acme/mini@gem", "acme/chat@cheapco");
  }

  @Test
  void quantizationsKeepTheNamedOnesAndUnknownMatchesAnEndpointThatNamesNone() {
    assertThat(
            providers(plan(chat("acme/chat").with("provider", "{\"quantizations\":[\"bf16\"]}"))))
        .containsExactly("acme/chat@pricey");
    assertThat(
            providers(
                plan(
                    chat("acme/chat")
                        .with("provider", "{\"quantizations\":[\"fp8\",\"unknown\"]}"))))
        .containsExactly("acme/chat@cheapco", "acme/chat@anthro");
  }

  @Test
  void maxPriceIsAHardCeilingPerKindAndARefusalSaysWhatCostsTooMuch() {
    assertThat(
            providers(
                plan(chat("acme/chat").with("provider", "{\"max_price\":{\"completion\":5}}"))))
        .containsExactly("acme/chat@cheapco", "acme/chat@anthro");

    ApiException refused =
        refusal(chat("acme/chat").with("provider", "{\"max_price\":{\"prompt\":0.4}}"));

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.getMessage())
        .contains(
            "cheapco costs $0.5 per million prompt tokens, above provider.max_price.prompt $0.4")
        .contains("pricey costs $3 per million prompt tokens");
  }

  @Test
  void aSortAcrossModelsOrdersEveryModelsEndpointsTogether() {
    assertThat(
            providers(
                plan(
                    chat("acme/chat")
                        .with("models", "[\"acme/mini\"]")
                        .with("provider", "{\"sort\":\"price\"}"))))
        .as("partition by model (the default): the fallback model's endpoints after")
        .containsExactly(
            "acme/chat@cheapco",
            "acme/chat@anthro",
            "acme/chat@pricey",
            "acme/mini@cheapco",
            "acme/mini@gem");

    assertThat(
            providers(
                plan(
                    chat("acme/chat")
                        .with("models", "[\"acme/mini\"]")
                        .with("provider", "{\"sort\":{\"by\":\"price\",\"partition\":\"none\"}}"))))
        .containsExactly(
            "acme/mini@cheapco",
            "acme/mini@gem",
            "acme/chat@cheapco",
            "acme/chat@anthro",
            "acme/chat@pricey");
  }

  @Test
  void throughputAndLatencySortsUseTheMeasuredFiguresAndPutEndpointsWithoutThemLast() {
    RoutePlanner measured =
        new RoutePlanner(
            new WireFormats(),
            figures(Map.of("pricey", 120.0, "anthro", 60.0), Map.of("pricey", 0.9, "anthro", 0.3)),
            null);

    assertThat(
            providers(
                measured.plan(
                    chat("acme/chat").with("provider", "{\"sort\":\"throughput\"}").parse(),
                    loaded)))
        .containsExactly("acme/chat@pricey", "acme/chat@anthro", "acme/chat@cheapco");
    assertThat(
            providers(
                measured.plan(
                    chat("acme/chat").with("provider", "{\"sort\":\"latency\"}").parse(), loaded)))
        .containsExactly("acme/chat@anthro", "acme/chat@pricey", "acme/chat@cheapco");
  }

  @Test
  void endpointsMissingAThroughputOrLatencyPreferenceGoLastButStay() {
    RoutePlanner measured =
        new RoutePlanner(
            new WireFormats(),
            figures(Map.of("cheapco", 10.0, "anthro", 80.0), Map.of("anthro", 3.0)),
            null);

    assertThat(
            providers(
                measured.plan(
                    chat("acme/chat").with("provider", "{\"preferred_min_throughput\":50}").parse(),
                    loaded)))
        .as("cheapco measured below 50 tokens/s; pricey unmeasured")
        .containsExactly("acme/chat@anthro", "acme/chat@pricey", "acme/chat@cheapco");
    assertThat(
            providers(
                measured.plan(
                    chat("acme/chat")
                        .with("provider", "{\"preferred_max_latency\":{\"p50\":2}}")
                        .parse(),
                    loaded)))
        .containsExactly("acme/chat@cheapco", "acme/chat@pricey", "acme/chat@anthro");
  }

  @Test
  void theFloorAndNitroVariantsOrderTheirModelsEndpointsByPriceAndThroughput() {
    RoutePlanner measured =
        new RoutePlanner(
            new WireFormats(),
            figures(Map.of("pricey", 120.0, "anthro", 60.0, "cheapco", 30.0), Map.of()),
            null);

    List<Candidate> nitro =
        measured.plan(
            chat("acme/chat:nitro")
                .with("models", "[\"acme/mini:floor\"]")
                .with("provider", "{\"order\":[]}")
                .parse(),
            loaded);

    assertThat(providers(nitro))
        .containsExactly(
            "acme/chat@pricey",
            "acme/chat@anthro",
            "acme/chat@cheapco",
            "acme/mini@cheapco",
            "acme/mini@gem");
    assertThat(refusal(chat("acme/nothing:nitro")).getMessage())
        .isEqualTo("acme/nothing:nitro is not a valid model ID");
  }

  @Test
  void anEndpointWhoseBreakerIsOpenIsTriedOnlyAfterTheOthersWhateverTheOrder() {
    RoutePlanner measured =
        new RoutePlanner(
            new WireFormats(),
            StubFigures.of(Map.of(), Map.of(), java.util.Set.of("cheapco")),
            null);

    assertThat(providers(measured.plan(chat("acme/chat").parse(), loaded)))
        .containsExactly("acme/chat@anthro", "acme/chat@pricey", "acme/chat@cheapco");
    assertThat(
            providers(
                measured.plan(
                    chat("acme/chat")
                        .with("provider", "{\"order\":[\"cheapco\",\"pricey\"]}")
                        .parse(),
                    loaded)))
        .containsExactly("acme/chat@pricey", "acme/chat@anthro", "acme/chat@cheapco");
  }

  @Test
  void theAutoRouterTriesTheModelsThatFitCheapestForThisRequestFirst() {
    assertThat(providers(plan(chat("switchboard/auto"))))
        .as("acme/lonely has no available endpoint")
        .containsExactly(
            "acme/mini@cheapco",
            "acme/mini@gem",
            "acme/chat@cheapco",
            "acme/chat@anthro",
            "acme/chat@pricey");
    assertThat(providers(plan(chat("openrouter/auto").with("max_tokens", "40000"))))
        .as("acme/mini's context is too small; only anthro can write 40,000 tokens")
        .containsExactly("acme/chat@anthro");
  }

  @Test
  void theAutoRouterPicksOnlyModelsThatTakeTheRequestsImages() {
    ChatRequests withImage =
        chat("switchboard/auto")
            .messages(
                "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is it?\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]");

    assertThat(providers(plan(withImage)))
        .containsExactly("acme/chat@cheapco", "acme/chat@anthro", "acme/chat@pricey");
  }

  @Test
  void theAutoRouterSaysWhatTheRequestNeedsWhenNoModelMeetsIt() {
    ApiException refused = refusal(chat("switchboard/auto").with("max_tokens", "200000"));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.getMessage())
        .startsWith("No model in the catalog meets this request for switchboard/auto:")
        .contains("holds 2000");
  }

  /** Figures by provider slug: median throughput (tokens/s) and latency (s). */
  private static RoutePlanner.EndpointFigures figures(
      Map<String, Double> throughput, Map<String, Double> latency) {
    return StubFigures.of(throughput, latency, java.util.Set.of());
  }

  @Test
  void anOwnKeysEndpointIsTriedFirstWithItThenWithThePlatformsKeyAfterTheOthers() {
    List<Candidate> candidates =
        planner.plan(chat("acme/chat").parse(), loaded, own(ownKey("pricey", false)));

    assertThat(providers(candidates))
        .containsExactly(
            "acme/chat@pricey", "acme/chat@cheapco", "acme/chat@anthro", "acme/chat@pricey");
    assertThat(candidates.get(0).byok()).isTrue();
    assertThat(candidates.get(0).apiKey()).isEqualTo("sk-own-pricey");
    assertThat(candidates.get(3).byok()).isFalse();
    assertThat(candidates.get(3).apiKey()).isEqualTo("key-pricey");
  }

  @Test
  void alwaysUseNeverFallsBackToThePlatformsKeyForThatProvider() {
    List<Candidate> candidates =
        planner.plan(chat("acme/chat").parse(), loaded, own(ownKey("pricey", true)));

    assertThat(providers(candidates))
        .containsExactly("acme/chat@pricey", "acme/chat@cheapco", "acme/chat@anthro");
    assertThat(candidates.stream().filter(c -> c.provider().slug().equals("pricey")))
        .allMatch(Candidate::byok);
  }

  @Test
  void anOwnKeyWithItsOwnBaseUrlIsSentThereAndOnlyThereWithThePlatformsKeyAtTheCatalogs() {
    ProviderCredentials withBaseUrl =
        new ProviderCredentials(
            "pricey",
            ProviderSecret.of("sk-own-pricey"),
            Optional.of("https://models.example.com/v1"),
            false);

    List<Candidate> candidates = planner.plan(chat("acme/chat").parse(), loaded, own(withBaseUrl));

    assertThat(providers(candidates))
        .containsExactly(
            "acme/chat@pricey", "acme/chat@cheapco", "acme/chat@anthro", "acme/chat@pricey");
    Candidate own = candidates.get(0);
    assertThat(own.provider().baseUrl()).hasToString("https://models.example.com/v1");
    assertThat(own.call(false).organizationBaseUrl()).isTrue();
    assertThat(own.call(false).apiKey()).isEqualTo("sk-own-pricey");
    Candidate platform = candidates.get(3);
    assertThat(platform.apiKey()).isEqualTo("key-pricey");
    assertThat(platform.provider().baseUrl()).isNotEqualTo(own.provider().baseUrl());
    assertThat(platform.call(false).organizationBaseUrl()).isFalse();
  }

  @Test
  void anOwnKeyServesAProviderThePlatformHasNoKeyFor() {
    List<Candidate> candidates =
        planner.plan(chat("acme/lonely").parse(), loaded, own(ownKey("down", false)));

    assertThat(providers(candidates)).containsExactly("acme/lonely@down");
    assertThat(candidates.get(0).byok()).isTrue();
  }

  @Test
  void anOwnKeyThatCannotBeReadIsRefusedAndNeverReplacedByThePlatformsKey() {
    RoutePlanner.OwnKeys unreadable =
        provider -> {
          if (provider.equals("pricey")) {
            throw new SecretUnreadableException("does not decrypt");
          }
          return Optional.empty();
        };

    List<Candidate> candidates = planner.plan(chat("acme/chat").parse(), loaded, unreadable);

    assertThat(providers(candidates)).containsExactly("acme/chat@cheapco", "acme/chat@anthro");
  }

  @Test
  void anOwnKeysChargeIsTheFeeWhenDueAndNothingWithinTheAllowance() {
    Candidate byok =
        planner.plan(chat("acme/chat").parse(), loaded, own(ownKey("pricey", true))).get(0);
    Credits list = byok.worstCase();

    assertThat(byok.worstCharge(true)).isEqualTo(CostCalculator.byokFee(list));
    assertThat(byok.worstCharge(false)).isEqualTo(Credits.ZERO);
    Candidate platform = plan(chat("acme/chat")).get(0);
    assertThat(platform.worstCharge(true)).isEqualTo(platform.worstCase());
  }
}
