package dev.switchboard.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.money.Pricing;
import org.junit.jupiter.api.Test;

class CatalogLoaderTest {

  private static final String PROVIDERS =
      """
      providers:
        - slug: acme
          name: Acme AI
          api: openai
          base_url: http://127.0.0.1:18080/v1
          api_key_env: ACME_API_KEY
          data_policy: {training: false, retains_prompts: false}
      """;

  @Test
  void loadsTheContractShapeInYaml() {
    Catalog catalog =
        CatalogLoader.parse(
            "catalog.yaml",
            PROVIDERS
                + """
                models:
                  - id: acme/fast-1
                    name: Acme Fast 1
                    context_length: 32768
                    endpoints:
                      - provider: acme
                        upstream_model: fast-1
                        pricing: {prompt: "0.000001", completion: "0.000002", request: "0"}
                        max_completion_tokens: 4096
                """);
    CatalogModel model = catalog.model("acme/fast-1").orElseThrow();
    assertThat(model.author()).isEqualTo("acme");
    assertThat(model.slug()).isEqualTo("fast-1");
    CatalogEndpoint endpoint = model.endpoints().get(0);
    assertThat(endpoint.pricing()).isEqualTo(Pricing.of(1_000_000_000L, 2_000_000_000L));
    assertThat(endpoint.maxCompletionTokens()).isEqualTo(4096);
    assertThat(catalog.provider("acme").orElseThrow().api()).isEqualTo(ProviderApi.OPENAI);
  }

  @Test
  void endpointsPricedAtZeroFormTheModelsFreeVariantAndAMissingPriceIsStillRefused() {
    String two =
        PROVIDERS
            + """
              - slug: community
                name: Community
                api: openai
                base_url: http://127.0.0.1:18081/v1
                api_key_env: COMMUNITY_KEY
            """;
    Catalog catalog =
        CatalogLoader.parse(
            "catalog.yaml",
            two
                + """
                models:
                  - id: acme/fast-1
                    name: Acme Fast 1
                    context_length: 32768
                    endpoints:
                      - provider: acme
                        upstream_model: fast-1
                        pricing: {prompt: "0.000001", completion: "0.000002"}
                      - provider: community
                        upstream_model: fast-1
                        pricing: {prompt: "0", completion: "0", request: "0"}
                  - id: acme/paid-only
                    name: Paid only
                    context_length: 100
                    endpoints:
                      - provider: acme
                        upstream_model: p
                        pricing: {prompt: "0", completion: "0.000001"}
                """);
    assertThat(catalog.model("acme/fast-1").orElseThrow().endpoints())
        .extracting(CatalogEndpoint::providerSlug)
        .containsExactly("acme");
    CatalogModel free = catalog.model("acme/fast-1:free").orElseThrow();
    assertThat(free.name()).isEqualTo("Acme Fast 1 (free)");
    assertThat(free.endpoints())
        .extracting(CatalogEndpoint::providerSlug)
        .containsExactly("community");
    assertThat(catalog.lacksFreeEndpoint("acme/paid-only:free")).isTrue();
    assertThat(catalog.lacksFreeEndpoint("acme/fast-1:free")).isFalse();
    assertThat(catalog.lacksFreeEndpoint("acme/ghost:free")).isFalse();
    assertThat(catalog.endpoints()).hasSize(3);

    assertThatThrownBy(
            () ->
                CatalogLoader.parse(
                    "catalog.yaml",
                    two
                        + """
                        models:
                          - id: acme/unpriced
                            name: Unpriced
                            context_length: 100
                            endpoints:
                              - {provider: community, upstream_model: x}
                          - id: acme/named:free
                            name: Named free
                            context_length: 100
                            endpoints:
                              - {provider: community, upstream_model: x, pricing: {prompt: "0", completion: "0"}}
                        """))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("models[0] (acme/unpriced).endpoints[0].pricing: missing")
        .hasMessageContaining("models[1] (acme/named:free).id: 'acme/named:free' ends with :free");
  }

  @Test
  void loadsTheSameShapeInJson() {
    Catalog catalog =
        CatalogLoader.parse(
            "catalog.json",
            """
            {"providers": [{"slug": "acme", "name": "Acme", "api": "anthropic",
                            "base_url": "https://api.acme.test/v1", "api_key_env": "ACME_KEY"}],
             "models": [{"id": "acme/m", "name": "M", "context_length": 1000,
                         "endpoints": [{"provider": "acme", "upstream_model": "m",
                                        "pricing": {"prompt": "0", "completion": "0.00001"}}]}]}
            """);
    assertThat(catalog.models()).hasSize(1);
    assertThat(catalog.provider("acme").orElseThrow().dataPolicy().training()).isTrue();
  }

  @Test
  void namesTheFileEntryAndFieldOfEveryProblem() {
    String text =
        PROVIDERS
            + """
            models:
              - id: acme/no-price
                name: No price
                context_length: 100
                endpoints:
                  - {provider: acme, upstream_model: x}
              - id: acme/negative
                name: Negative
                context_length: 100
                endpoints:
                  - {provider: acme, upstream_model: x, pricing: {prompt: "-0.1", completion: "0"}}
              - id: acme/ghost
                name: Ghost provider
                context_length: 100
                endpoints:
                  - {provider: nobody, upstream_model: x, pricing: {prompt: "0", completion: "0"}}
              - id: acme/no-price
                name: Duplicate
                context_length: 100
                endpoints:
                  - {provider: acme, upstream_model: x, pricing: {prompt: "0", completion: "0", promt: "1"}}
            """;
    assertThatThrownBy(() -> CatalogLoader.parse("/etc/switchboard/catalog.yaml", text))
        .isInstanceOfSatisfying(
            CatalogException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("catalog /etc/switchboard/catalog.yaml is invalid");
              assertThat(e.problems())
                  .contains(
                      "models[0] (acme/no-price).endpoints[0].pricing: missing; a model is never served without a price",
                      "models[1] (acme/negative).endpoints[0].pricing.prompt: negative price -0.1",
                      "models[2] (acme/ghost).endpoints[0].provider: unknown provider 'nobody'",
                      "models[3] (acme/no-price).id: duplicate model 'acme/no-price'",
                      "models[3] (acme/no-price).endpoints[0].pricing: unknown field 'promt'");
            });
  }

  @Test
  void refusesDuplicateProvidersAndBadUrls() {
    String text =
        """
        providers:
          - {slug: a, name: A, api: openai, base_url: "ftp://x", api_key_env: K}
          - {slug: a, name: A2, api: grpc, base_url: "http://x", api_key_env: "not a name"}
        models:
          - {id: a/m, name: M, context_length: 1, endpoints: [{provider: a, upstream_model: m, pricing: {prompt: "0", completion: "0"}}]}
        """;
    assertThatThrownBy(() -> CatalogLoader.parse("c.yaml", text))
        .isInstanceOfSatisfying(
            CatalogException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "providers[0] (a).base_url: must be an http or https URL, got 'ftp://x'",
                        "providers[1] (a).slug: duplicate provider 'a'",
                        "providers[1] (a).api: unknown wire format 'grpc' (openai, anthropic or gemini)",
                        "providers[1] (a).api_key_env: not an environment variable name: 'not a name'"));
  }

  @Test
  void aModelTakesTextAloneUnlessItsInputModalitiesSayMoreAndItsVariantsTakeTheSame() {
    String text =
        """
        providers:
          - {slug: a, name: A, api: openai, base_url: "http://x", api_key_env: K}
        models:
          - {id: a/plain, name: P, context_length: 1, endpoints: [{provider: a, upstream_model: p, pricing: {prompt: "1", completion: "1"}}]}
          - id: a/eyes
            name: E
            context_length: 1
            input_modalities: [text, image]
            endpoints:
              - {provider: a, upstream_model: e, pricing: {prompt: "1", completion: "1"}}
          - {id: a/free, name: F, context_length: 1, input_modalities: [text, image], endpoints: [{provider: a, upstream_model: f, pricing: {prompt: "0", completion: "0"}}]}
        """;

    Catalog catalog = CatalogLoader.parse("c.yaml", text);

    assertThat(catalog.model("a/plain").orElseThrow().inputModalities()).containsExactly("text");
    assertThat(catalog.model("a/plain").orElseThrow().takesImages()).isFalse();
    assertThat(catalog.model("a/eyes").orElseThrow().takesImages()).isTrue();
    assertThat(catalog.model("a/free:free").orElseThrow().takesImages()).isTrue();
  }

  @Test
  void refusesInputModalitiesThatAreUnknownOrLeaveOutText() {
    String text =
        """
        providers:
          - {slug: a, name: A, api: openai, base_url: "http://x", api_key_env: K}
        models:
          - {id: a/one, name: O, context_length: 1, input_modalities: [text, smell], endpoints: [{provider: a, upstream_model: o, pricing: {prompt: "1", completion: "1"}}]}
          - {id: a/two, name: T, context_length: 1, input_modalities: [image], endpoints: [{provider: a, upstream_model: t, pricing: {prompt: "1", completion: "1"}}]}
        """;
    assertThatThrownBy(() -> CatalogLoader.parse("c.yaml", text))
        .isInstanceOfSatisfying(
            CatalogException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "models[0] (a/one).input_modalities: must be a list of text, image, file and"
                            + " audio that names text",
                        "models[1] (a/two).input_modalities: must be a list of text, image, file and"
                            + " audio that names text"));
  }
}
