package dev.switchboard.webui.ui;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.domain.catalog.CatalogLoader;
import java.util.Map;

/**
 * A small catalog for dashboard tests: Acme (available) and Globex (no API key), three models
 * priced so that each filter keeps a different subset.
 */
public final class TestCatalogs {

  public static final String GLOBEX_UNAVAILABLE =
      "no API key: the environment variable GLOBEX_API_KEY is not set";

  public static final String YAML =
      """
      providers:
        - slug: acme
          name: Acme AI
          api: openai
          base_url: http://127.0.0.1:18080/v1
          api_key_env: ACME_API_KEY
        - slug: globex
          name: Globex
          api: anthropic
          base_url: http://127.0.0.1:18081/v1
          api_key_env: GLOBEX_API_KEY
      models:
        - id: acme/fast-1
          name: Acme Fast 1
          description: Small and quick.
          context_length: 32768
          endpoints:
            - provider: acme
              upstream_model: fast-1
              pricing: {prompt: "0.00000015", completion: "0.0000006", input_cache_read: "0.000000075"}
              max_completion_tokens: 4096
              supported_parameters: [temperature, tools]
        - id: acme/big-2
          name: Acme Big 2
          description: Large and careful.
          context_length: 200000
          endpoints:
            - provider: acme
              upstream_model: big-2
              pricing: {prompt: "0.000003", completion: "0.000015"}
              max_completion_tokens: 8192
            - provider: globex
              upstream_model: acme-big-2
              pricing: {prompt: "0.0000025", completion: "0.00001", request: "0.001"}
              quantization: fp8
        - id: globex/tiny
          name: Globex Tiny
          context_length: 8192
          endpoints:
            - provider: globex
              upstream_model: tiny
              pricing: {prompt: "0.00000002", completion: "0.00000005"}
      """;

  private TestCatalogs() {}

  public static LoadedCatalog loaded() {
    return new LoadedCatalog(
        CatalogLoader.parse("test-catalog.yaml", YAML),
        Map.of(),
        Map.of("acme", "acme-key"),
        Map.of(
            "acme",
            ProviderAvailability.AVAILABLE,
            "globex",
            ProviderAvailability.unavailable(GLOBEX_UNAVAILABLE)));
  }

  /**
   * A catalog service serving {@code loaded}, as the application's does once start-up has loaded
   * it.
   */
  public static CatalogService serving(LoadedCatalog loaded) {
    return new CatalogService() {
      @Override
      public LoadedCatalog current() {
        return loaded;
      }

      @Override
      public boolean isLoaded() {
        return true;
      }
    };
  }
}
