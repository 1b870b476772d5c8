package dev.switchboard.domain.catalog;

import dev.switchboard.domain.money.Pricing;
import java.util.List;

/** One provider serving one model, at its list price. */
public record CatalogEndpoint(
    String modelId,
    String providerSlug,
    String upstreamModel,
    Pricing pricing,
    Integer maxCompletionTokens,
    String quantization,
    List<String> supportedParameters) {

  public CatalogEndpoint {
    supportedParameters = List.copyOf(supportedParameters);
  }

  /** The key of this endpoint's price history. */
  public String priceKey() {
    return modelId + "@" + providerSlug;
  }
}
