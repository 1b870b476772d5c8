package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.WireFormat;
import dev.switchboard.domain.byok.ProviderCredentials;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.money.CostCalculator;
import dev.switchboard.domain.money.Credits;

/**
 * One endpoint a request may be sent to, with everything its attempt needs: the wire format, the
 * API key (the platform's, or with {@code byok} the organization's own, and with {@code ownBaseUrl}
 * the provider reached at the base URL the organization gave with it), the price row, the
 * completion cap and the body to send (unsupported parameters dropped, {@code max_tokens} set to
 * the cap so the worst case holds).
 */
public record Candidate(
    CatalogModel model,
    CatalogEndpoint endpoint,
    CatalogProvider provider,
    WireFormat wire,
    String apiKey,
    boolean byok,
    boolean ownBaseUrl,
    long priceId,
    long maxCompletionTokens,
    long maxPromptTokens,
    ObjectNode body) {

  /**
   * The same attempt through the organization's own key for the provider, sent to the
   * organization's base URL for it when it set one.
   */
  public Candidate withOwnKey(ProviderCredentials own) {
    return new Candidate(
        model,
        endpoint,
        own.reach(provider),
        wire,
        own.apiKey().reveal(),
        true,
        own.baseUrl().isPresent(),
        priceId,
        maxCompletionTokens,
        maxPromptTokens,
        body);
  }

  /**
   * The attempt that continues an answer another attempt broke off ({@code provider.resume}): the
   * answer so far as the assistant's own last message (a prefill), and a completion cap lowered by
   * the tokens it already has, so that the whole answer keeps the cap.
   */
  public Candidate continuing(String answerSoFar, long tokensSoFar) {
    ObjectNode continued = body.deepCopy();
    ((ArrayNode) continued.get("messages"))
        .addObject()
        .put("role", "assistant")
        .put("content", answerSoFar);
    long cap = Math.max(1, maxCompletionTokens - tokensSoFar);
    continued.put("max_tokens", cap);
    return new Candidate(
        model,
        endpoint,
        provider,
        wire,
        apiKey,
        byok,
        ownBaseUrl,
        priceId,
        cap,
        maxPromptTokens + tokensSoFar,
        continued);
  }

  /**
   * The most a continuation of an answer (see {@link #continuing}) through this candidate can cost
   * the organization's credits: its prompt grows by at most the completion cap.
   */
  public Credits worstContinuationCharge(boolean feeDue) {
    return charge(
        CostCalculator.worstCase(
            endpoint.pricing(), maxPromptTokens + maxCompletionTokens, maxCompletionTokens),
        feeDue);
  }

  /** The most the provider can charge for the attempt, at list price. */
  public Credits worstCase() {
    return CostCalculator.worstCase(endpoint.pricing(), maxPromptTokens, maxCompletionTokens);
  }

  /**
   * The most the attempt can cost the organization's credits: the list price, or through its own
   * key the fee on it when {@code feeDue} (nothing within the monthly allowance).
   */
  public Credits worstCharge(boolean feeDue) {
    return charge(worstCase(), feeDue);
  }

  /** What an attempt whose list price came to {@code listCost} costs the organization's credits. */
  public Credits charge(Credits listCost, boolean feeDue) {
    if (!byok) {
      return listCost;
    }
    return feeDue ? CostCalculator.byokFee(listCost) : Credits.ZERO;
  }

  public ProviderCall call(boolean stream) {
    return new ProviderCall(provider, apiKey, endpoint.upstreamModel(), body, stream, ownBaseUrl);
  }
}
