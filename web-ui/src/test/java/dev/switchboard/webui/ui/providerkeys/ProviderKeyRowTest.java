package dev.switchboard.webui.ui.providerkeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.byok.ProviderKey;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderKeyRowTest {

  private static ProviderKey key(Optional<String> baseUrl, boolean alwaysUse) {
    return new ProviderKey(
        "sim-openai",
        baseUrl,
        "9f3c",
        alwaysUse,
        Instant.parse("2026-12-06T23:59:59Z"),
        Instant.parse("2026-12-07T08:00:00Z"));
  }

  @Test
  void showsTheCatalogsNameWithTheSlugTheLastFourCharactersAndTheDayAdded() {
    ProviderKeyRow row =
        new ProviderKeyRow(
            key(Optional.of("https://8.8.8.8/v1"), true), Optional.of("Simulated OpenAI"));

    assertThat(row.provider()).isEqualTo("Simulated OpenAI (sim-openai)");
    assertThat(row.baseUrl()).isEqualTo("https://8.8.8.8/v1");
    assertThat(row.last4()).isEqualTo("…9f3c");
    assertThat(row.alwaysUse()).isEqualTo("yes");
    assertThat(row.added()).as("the UTC day it was created, not updated").isEqualTo("2026-12-06");
  }

  @Test
  void saysProviderDefaultWithoutABaseUrlAndTheSlugAloneForAProviderTheCatalogNoLongerHas() {
    ProviderKeyRow row = new ProviderKeyRow(key(Optional.empty(), false), Optional.empty());

    assertThat(row.provider()).isEqualTo("sim-openai");
    assertThat(row.baseUrl()).isEqualTo("provider default");
    assertThat(row.alwaysUse()).isEqualTo("no");
  }

  @Test
  void aDialogsRequestDoesNotPrintItsSecret() {
    ProviderKeyDialog.Request request =
        new ProviderKeyDialog.Request("sim-openai", "sk-secret-value", Optional.empty(), true);

    assertThat(request.toString()).contains("sim-openai").doesNotContain("sk-secret-value");
  }
}
