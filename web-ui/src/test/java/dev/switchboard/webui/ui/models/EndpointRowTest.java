package dev.switchboard.webui.ui.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.webui.ui.TestCatalogs;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRowTest {

  private final LoadedCatalog loaded = TestCatalogs.loaded();

  private List<EndpointRow> endpoints(String modelId) {
    return loaded.catalog().model(modelId).orElseThrow().endpoints().stream()
        .map(e -> EndpointRow.of(e, loaded))
        .toList();
  }

  @Test
  void formatsEveryPriceAndLimitOfAnEndpoint() {
    assertThat(endpoints("acme/fast-1"))
        .containsExactly(
            new EndpointRow(
                "Acme AI",
                "available",
                "fast-1",
                "$0.15 / M",
                "$0.60 / M",
                "$0.075 / M",
                "—",
                "4,096",
                "—",
                "temperature, tools"));
  }

  @Test
  void saysWhyAProviderIsUnavailableAndShowsItsRequestFee() {
    EndpointRow globex = endpoints("acme/big-2").get(1);

    assertThat(globex.provider()).isEqualTo("Globex");
    assertThat(globex.availability()).isEqualTo(TestCatalogs.GLOBEX_UNAVAILABLE);
    assertThat(globex.requestPrice()).isEqualTo("$0.001 / request");
    assertThat(globex.cacheReadPrice()).isEqualTo("—");
    assertThat(globex.maxCompletionTokens()).isEqualTo("—");
    assertThat(globex.quantization()).isEqualTo("fp8");
    assertThat(globex.supportedParameters()).isEqualTo("—");
  }
}
