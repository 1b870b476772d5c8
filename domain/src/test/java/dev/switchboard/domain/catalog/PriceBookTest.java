package dev.switchboard.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.money.CostCalculator;
import dev.switchboard.domain.money.Pricing;
import dev.switchboard.domain.money.TokenUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceBookTest {

  private static String catalog(String promptPrice) {
    return """
        providers:
          - {slug: p, name: P, api: openai, base_url: "http://127.0.0.1:1/v1", api_key_env: P_KEY}
        models:
          - id: a/m
            name: M
            context_length: 1000
            endpoints:
              - {provider: p, upstream_model: m, pricing: {prompt: "%s", completion: "0.000002"}}
          - id: a/other
            name: Other
            context_length: 1000
            endpoints:
              - {provider: p, upstream_model: o, pricing: {prompt: "0.000001", completion: "0.000001"}}
        """
        .formatted(promptPrice);
  }

  @Test
  void reloadingAnUnchangedCatalogKeepsThePriceRows() {
    DomainFixture db = new DomainFixture();
    Map<String, Long> first = db.priceBook.record(CatalogLoader.parse("c", catalog("0.000001")));
    Map<String, Long> second = db.priceBook.record(CatalogLoader.parse("c", catalog("0.000001")));

    assertThat(second).isEqualTo(first);
    assertThat(db.count("endpoint_prices")).isEqualTo(2);
  }

  @Test
  void aChangedPriceTakesEffectFromNowAndTheOldOneStaysForPastGenerations() {
    DomainFixture db =
        new DomainFixture(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    long before = db.priceBook.record(CatalogLoader.parse("c", catalog("0.000001"))).get("a/m@p");
    PriceBook later =
        new PriceBook(
            db.transactions, Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC));

    Map<String, Long> after = later.record(CatalogLoader.parse("c", catalog("0.000003")));

    assertThat(after.get("a/m@p")).isNotEqualTo(before);
    assertThat(after.get("a/other@p"))
        .isEqualTo(
            db.priceBook.record(CatalogLoader.parse("c", catalog("0.000003"))).get("a/other@p"));
    Pricing old = db.priceBook.priceById(before);
    Pricing current = db.priceBook.priceById(after.get("a/m@p"));
    assertThat(old.promptPerMillion()).isEqualTo(1_000_000_000L);
    assertThat(current.promptPerMillion()).isEqualTo(3_000_000_000L);
    // a generation priced before the change is recomputed at the price it was charged
    TokenUsage usage = TokenUsage.of(1_000, 500);
    assertThat(CostCalculator.cost(old, usage).nanos()).isEqualTo(1_000L * 1_000 + 500L * 2_000);
    assertThat(db.queryLong("SELECT count(*) FROM endpoint_prices WHERE model_id = 'a/m'"))
        .isEqualTo(2);
  }
}
