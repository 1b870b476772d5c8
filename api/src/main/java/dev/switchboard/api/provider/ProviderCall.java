package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.catalog.CatalogProvider;

/**
 * One call to one provider: the chat request in the OpenAI shape (already stripped of
 * Switchboard-only fields such as {@code models}, {@code provider}, {@code usage}), the model id
 * the provider knows, and the provider's API key. With {@code organizationBaseUrl} the provider's
 * base URL is one an organization supplied with its own key: its host is checked again and the
 * connection pinned to the checked address ({@link PinnedConnections}).
 */
public record ProviderCall(
    CatalogProvider provider,
    String apiKey,
    String upstreamModel,
    ObjectNode chatRequest,
    boolean stream,
    boolean organizationBaseUrl) {

  /** A call to a provider's base URL as the catalog gives it. */
  public ProviderCall(
      CatalogProvider provider,
      String apiKey,
      String upstreamModel,
      ObjectNode chatRequest,
      boolean stream) {
    this(provider, apiKey, upstreamModel, chatRequest, stream, false);
  }
}
