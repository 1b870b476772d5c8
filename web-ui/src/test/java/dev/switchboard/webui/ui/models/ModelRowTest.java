package dev.switchboard.webui.ui.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.webui.ui.TestCatalogs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRowTest {

  private final LoadedCatalog loaded = TestCatalogs.loaded();

  @Test
  void listsEveryModelInCatalogOrderWithItsProviders() {
    List<ModelRow> rows = ModelRow.of(loaded);

    assertThat(rows)
        .extracting(ModelRow::id)
        .containsExactly("acme/fast-1", "acme/big-2", "globex/tiny");
    assertThat(rows.get(1).providers())
        .containsExactly(
            new ProviderChoice("acme", "Acme AI"), new ProviderChoice("globex", "Globex"));
    assertThat(rows.get(1).providerNames()).isEqualTo("Acme AI, Globex");
    assertThat(rows.get(1).author()).isEqualTo("acme");
    assertThat(rows.get(1).slug()).isEqualTo("big-2");
  }

  @Test
  void pricesAModelAtItsCheapestAvailableEndpoint() {
    // Globex is cheaper for acme/big-2 but has no API key, so Acme's price is the one a caller
    // gets.
    ModelRow big = ModelRow.of(loaded.catalog().model("acme/big-2").orElseThrow(), loaded);

    assertThat(big.cheapestProvider()).isEqualTo("Acme AI");
    assertThat(big.promptPerMillion()).isEqualTo(3_000_000_000L);
    assertThat(big.completionPerMillion()).isEqualTo(15_000_000_000L);
  }

  @Test
  void prefersTheCheapestEndpointOnceEveryProviderIsAvailable() {
    LoadedCatalog allAvailable = new LoadedCatalog(loaded.catalog(), Map.of(), Map.of(), Map.of());

    ModelRow big =
        ModelRow.of(allAvailable.catalog().model("acme/big-2").orElseThrow(), allAvailable);

    assertThat(big.cheapestProvider()).isEqualTo("Globex");
    assertThat(big.promptPerMillion()).isEqualTo(2_500_000_000L);
  }

  @Test
  void stillPricesAModelWhoseProvidersAreAllUnavailable() {
    ModelRow tiny = ModelRow.of(loaded.catalog().model("globex/tiny").orElseThrow(), loaded);

    assertThat(tiny.cheapestProvider()).isEqualTo("Globex");
    assertThat(tiny.promptPerMillion()).isEqualTo(20_000_000L);
    assertThat(loaded.availability(loaded.catalog().provider("globex").orElseThrow()))
        .isNotEqualTo(ProviderAvailability.AVAILABLE);
  }
}
