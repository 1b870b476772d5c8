package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The public catalog against the built jar: models and endpoints priced exactly as the catalog file
 * says, providers and why one cannot be called, a request for an unservable model refused before
 * anything goes upstream, and a broken catalog file refusing the start with a message that names
 * every problem.
 */
@ExtendWith(SwitchboardExtension.class)
class CatalogIT {

  /**
   * The built-in demo catalog's models: id → {prompt, completion, context length}, as written in
   * its file.
   */
  private static final Map<String, List<String>> DEMO_MODELS = new LinkedHashMap<>();

  static {
    DEMO_MODELS.put("openai/gpt-4o-mini", List.of("0.00000015", "0.0000006", "128000"));
    DEMO_MODELS.put("openai/gpt-4o", List.of("0.0000025", "0.00001", "128000"));
    DEMO_MODELS.put(
        "meta-llama/llama-3.1-8b-instruct", List.of("0.00000002", "0.00000005", "131072"));
    DEMO_MODELS.put(
        "meta-llama/llama-3.3-70b-instruct", List.of("0.00000088", "0.00000088", "131072"));
    DEMO_MODELS.put("meta-llama/llama-3.3-70b-instruct:free", List.of("0", "0", "131072"));
    DEMO_MODELS.put("google/gemini-2.0-flash-001", List.of("0.0000001", "0.0000004", "1048576"));
    DEMO_MODELS.put("google/gemini-2.0-flash-001:free", List.of("0", "0", "1048576"));
    DEMO_MODELS.put("google/gemini-2.5-pro", List.of("0.00000125", "0.00001", "1048576"));
    DEMO_MODELS.put("anthropic/claude-3.5-haiku", List.of("0.0000008", "0.000004", "200000"));
    DEMO_MODELS.put("anthropic/claude-sonnet-4", List.of("0.000003", "0.000015", "200000"));
  }

  @Test
  void demoModelsAreListedWithTheCatalogsPricesPerToken(RunningSwitchboard switchboard) {
    HttpResponse<String> response = switchboard.get("/api/v1/models", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> models = new ArrayList<>();
    ExactJson.parse(response.body()).path("data").forEach(models::add);
    assertThat(models)
        .extracting(m -> m.path("id").asText())
        .containsExactlyInAnyOrderElementsOf(DEMO_MODELS.keySet());
    for (JsonNode model : models) {
      List<String> expected = DEMO_MODELS.get(model.path("id").asText());
      String id = model.path("id").asText();
      assertThat(model.path("name").asText()).as(id).isNotBlank();
      assertThat(model.path("pricing").path("prompt").isTextual())
          .as(id + " prompt price is a string")
          .isTrue();
      assertThat(model.path("pricing").path("prompt").asText())
          .as(id + " prompt")
          .isEqualTo(expected.get(0));
      assertThat(model.path("pricing").path("completion").asText())
          .as(id + " completion")
          .isEqualTo(expected.get(1));
      assertThat(new BigDecimal(model.path("pricing").path("request").asText()))
          .as(id + " request")
          .isEqualByComparingTo("0");
      assertThat(model.path("context_length").asLong())
          .as(id + " context")
          .isEqualTo(Long.parseLong(expected.get(2)));
    }
    JsonNode mini =
        models.stream()
            .filter(m -> m.path("id").asText().equals("openai/gpt-4o-mini"))
            .findFirst()
            .orElseThrow();
    assertThat(mini.path("pricing").path("input_cache_read").asText()).isEqualTo("0.000000075");
    assertThat(mini.path("top_provider").path("max_completion_tokens").asInt()).isEqualTo(16384);
  }

  @Test
  void modelEndpointsListTheServingProviderAndItsPrice(RunningSwitchboard switchboard) {
    HttpResponse<String> response =
        switchboard.get("/api/v1/models/openai/gpt-4o-mini/endpoints", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode data = ExactJson.parse(response.body()).path("data");
    assertThat(data.path("id").asText()).isEqualTo("openai/gpt-4o-mini");
    assertThat(data.path("endpoints").size()).as(data.toString()).isEqualTo(1);
    JsonNode endpoint = data.path("endpoints").get(0);
    assertThat(endpoint.path("provider_name").asText()).isEqualTo("Simulated OpenAI");
    assertThat(endpoint.path("pricing").path("prompt").asText()).isEqualTo("0.00000015");
    assertThat(endpoint.path("pricing").path("completion").asText()).isEqualTo("0.0000006");
    assertThat(endpoint.path("context_length").asLong()).isEqualTo(128000);
    assertThat(endpoint.path("max_completion_tokens").asInt()).isEqualTo(16384);
    assertThat(endpoint.path("status").asInt()).isEqualTo(0);
  }

  @Test
  void aFreeVariantListsOnlyTheEndpointsPricedAtZeroAndThePlainIdOnlyThePaidOnes(
      RunningSwitchboard switchboard) {
    HttpResponse<String> free =
        switchboard.get("/api/v1/models/meta-llama/llama-3.3-70b-instruct:free/endpoints", null);

    assertThat(free.statusCode()).as(free.body()).isEqualTo(200);
    JsonNode data = ExactJson.parse(free.body()).path("data");
    assertThat(data.path("id").asText()).isEqualTo("meta-llama/llama-3.3-70b-instruct:free");
    assertThat(data.path("endpoints").size()).as(data.toString()).isEqualTo(1);
    JsonNode endpoint = data.path("endpoints").get(0);
    assertThat(endpoint.path("provider_name").asText()).isEqualTo("Simulated Community (free)");
    assertThat(endpoint.path("pricing").path("prompt").asText()).isEqualTo("0");
    assertThat(endpoint.path("pricing").path("completion").asText()).isEqualTo("0");

    JsonNode paid =
        ExactJson.parse(
                switchboard
                    .get("/api/v1/models/meta-llama/llama-3.3-70b-instruct/endpoints", null)
                    .body())
            .path("data")
            .path("endpoints");
    assertThat(paid.size()).as(paid.toString()).isEqualTo(1);
    assertThat(paid.get(0).path("provider_name").asText()).isEqualTo("Simulated Together");
    assertError(
        switchboard.get("/api/v1/models/openai/gpt-4o-mini:free/endpoints", null),
        404,
        "a model without a free endpoint has no free variant");
  }

  @Test
  void endpointsOfAnUnknownModelAreNotFound(RunningSwitchboard switchboard) {
    for (String path :
        List.of(
            "/api/v1/models/openai/gpt-9/endpoints",
            "/api/v1/models/nobody/nothing/endpoints",
            "/api/v1/models/OPENAI/GPT-4O-MINI/endpoints")) {
      assertError(switchboard.get(path, null), 404, "GET " + path);
    }
  }

  @Test
  void demoProvidersAreListedAndAvailable(RunningSwitchboard switchboard) {
    HttpResponse<String> response = switchboard.get("/api/v1/providers", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> providers = new ArrayList<>();
    ExactJson.parse(response.body()).path("data").forEach(providers::add);
    assertThat(providers)
        .extracting(p -> p.path("slug").asText())
        .containsExactlyInAnyOrder(
            "sim-openai", "sim-together", "sim-anthropic", "sim-google", "sim-community");
    assertThat(providers)
        .allSatisfy(
            p -> assertThat(p.path("available").asBoolean(false)).as(p.toString()).isTrue());
    assertThat(providers)
        .extracting(p -> p.path("name").asText())
        .contains("Simulated OpenAI", "Simulated Google AI Studio");
  }

  @Test
  void providerWithoutItsKeyIsListedUnavailableWithTheReason(ControlledSwitchboard controlled) {
    HttpResponse<String> response = controlled.switchboard().get("/api/v1/providers", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, JsonNode> bySlug = new LinkedHashMap<>();
    ExactJson.parse(response.body())
        .path("data")
        .forEach(p -> bySlug.put(p.path("slug").asText(), p));
    assertThat(bySlug.keySet())
        .containsExactlyInAnyOrderElementsOf(ControlledSwitchboard.PROVIDERS);
    JsonNode keyless = bySlug.get("keyless");
    assertThat(keyless.path("available").asBoolean(true)).isFalse();
    assertThat(keyless.toString()).contains("E2E_UNSET_KEY");
    for (String slug : List.of("alpha", "beta", "gamma", "delta")) {
      assertThat(bySlug.get(slug).path("available").asBoolean(false)).as(slug).isTrue();
    }
    assertThat(response.body()).doesNotContain("alpha-secret").doesNotContain("beta-secret");

    HttpResponse<String> endpoints =
        controlled.switchboard().get("/api/v1/models/test/keyless/endpoints", null);
    assertThat(endpoints.statusCode()).as(endpoints.body()).isEqualTo(200);
    assertThat(endpoints.body()).contains("E2E_UNSET_KEY");
  }

  @Test
  void requestForAModelWhoseOnlyProviderHasNoKeyIsRefusedWithoutCallingIt(
      ControlledSwitchboard controlled) {
    RunningSwitchboard switchboard = controlled.switchboard();
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");

    HttpResponse<String> response =
        switchboard.post(
            "/api/v1/chat/completions",
            tenant.managementKey(),
            "{\"model\":\"test/keyless\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Map.of());

    JsonNode error = assertError(response, 503, "chat for test/keyless");
    assertThat(error.path("message").asText()).contains("keyless").contains("E2E_UNSET_KEY");
    assertThat(controlled.sentTo("keyless")).isEmpty();
    assertThat(tenant.totalUsage()).isEqualByComparingTo("0");
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");
  }

  @Test
  void brokenCatalogStopsTheStartAndNamesEveryProblem() throws IOException {
    Path catalog = Files.createTempFile("switchboard-e2e-bad-catalog", ".yaml");
    Files.writeString(
        catalog,
        """
        providers:
          - {slug: good, name: Good, api: openai, base_url: "http://127.0.0.1:9/v1", api_key_env: E2E_GOOD_KEY}
        models:
          - id: x/y
            name: No price at all
            context_length: 1000
            endpoints:
              - {provider: good, upstream_model: m}
          - id: x/z
            name: Unknown provider
            context_length: 1000
            endpoints:
              - {provider: ghost, upstream_model: m, pricing: {prompt: "0.000001", completion: "0.000001"}}
          - id: x/z
            name: Duplicate id
            context_length: 1000
            endpoints:
              - {provider: good, upstream_model: m, pricing: {prompt: "0.000001", completion: "0.000001"}}
          - id: x/w
            name: No prompt price
            context_length: 1000
            endpoints:
              - {provider: good, upstream_model: m, pricing: {completion: "0.000001"}}
        """);

    assertThatThrownBy(
            () -> {
              try (RunningSwitchboard started =
                  RunningSwitchboard.start(
                      Map.of("SWITCHBOARD_CATALOG", catalog.toString(), "E2E_GOOD_KEY", "k"))) {
                throw new AssertionError(
                    "Switchboard started with a broken catalog on port " + started.port());
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(catalog.toString())
        .hasMessageContaining("models[0] (x/y).endpoints[0].pricing: missing")
        .hasMessageContaining("models[1] (x/z).endpoints[0].provider: unknown provider 'ghost'")
        .hasMessageContaining("models[2] (x/z).id: duplicate model 'x/z'")
        .hasMessageContaining("models[3] (x/w).endpoints[0].pricing.prompt: missing");
  }
}
