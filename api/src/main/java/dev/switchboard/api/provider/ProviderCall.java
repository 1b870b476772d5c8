package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.domain.catalog.CatalogProvider;

/**
 * One call to one provider: the chat request in the OpenAI shape (already stripped of
 * Switchboard-only fields such as {@code models}, {@code provider}, {@code usage}), the model id
 * the provider knows, and the provider's API key.
 */
public record ProviderCall(
    CatalogProvider provider,
    String apiKey,
    String upstreamModel,
    ObjectNode chatRequest,
    boolean stream) {}
