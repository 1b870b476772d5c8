package dev.switchboard.domain.usage;

import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One served request. {@code cost} equals the ledger debit exactly; {@code priceId} names the price
 * row it was computed from, so it can be recomputed later. {@code usageEstimated} is true when the
 * provider reported no usage and the tokens were counted by us. {@code byok} is true when it went
 * through the organization's own provider key: then the provider billed the organization, {@code
 * upstreamCost} is what that came to at list price and {@code cost} is Switchboard's fee alone;
 * otherwise the two are equal, except for an answer that failed or produced no output tokens, which
 * costs nothing whatever the provider charged (zero-completion insurance). {@code
 * providerResponses} lists every attempt, the answering one last, when the first did not answer; it
 * is empty when the first did.
 */
public record Generation(
    String id,
    OrganizationId orgId,
    UUID apiKeyId,
    String model,
    String providerSlug,
    String upstreamModel,
    long priceId,
    TokenUsage usage,
    boolean usageEstimated,
    Credits cost,
    Credits reserved,
    boolean byok,
    Credits upstreamCost,
    long latencyMillis,
    long generationTimeMillis,
    Long timeToFirstTokenMillis,
    boolean streamed,
    boolean cancelled,
    String finishReason,
    String nativeFinishReason,
    String apiType,
    String httpReferer,
    String appTitle,
    Instant createdAt,
    List<ProviderResponse> providerResponses) {

  public Generation {
    providerResponses = List.copyOf(providerResponses);
  }
}
