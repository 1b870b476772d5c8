package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.WireFormat;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.money.CostCalculator;
import dev.switchboard.domain.money.Credits;

/**
 * One endpoint a request may be sent to, with everything its attempt needs: the wire format, the
 * API key, the price row, the completion cap and the body to send (unsupported parameters dropped,
 * {@code max_tokens} set to the cap so the worst case holds).
 */
public record Candidate(
    CatalogModel model,
    CatalogEndpoint endpoint,
    CatalogProvider provider,
    WireFormat wire,
    String apiKey,
    long priceId,
    long maxCompletionTokens,
    long maxPromptTokens,
    ObjectNode body) {

  public Credits worstCase() {
    return CostCalculator.worstCase(endpoint.pricing(), maxPromptTokens, maxCompletionTokens);
  }

  public ProviderCall call(boolean stream) {
    return new ProviderCall(provider, apiKey, endpoint.upstreamModel(), body, stream);
  }
}
