package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * A validated inference request in Switchboard's internal (OpenAI chat) shape.
 *
 * @param models the model ids to try, in order: {@code model} then the {@code models} fallbacks
 * @param maxTokens the caller's {@code max_tokens}, or null
 * @param providerBody the fields forwarded to providers (an allow-list; never {@code model}, {@code
 *     max_tokens} or anything Switchboard-only)
 * @param parametersUsed the optional parameters the caller set, checked against endpoints' support
 * @param promptTokenBound an upper bound of the prompt's tokens, for the worst-case reservation
 * @param promptTokenEstimate a plain estimate of the prompt's tokens, billed when a provider
 *     reports none
 * @param hasImages whether a message carries an image
 * @param conversation what ties the request to its conversation for sticky routing: its {@code
 *     session_id}, else its {@code user}, else a hash of its system messages and first user message
 */
public record ChatRequest(
    List<String> models,
    boolean stream,
    Long maxTokens,
    ObjectNode providerBody,
    ProviderPreferences provider,
    Set<String> parametersUsed,
    long promptTokenBound,
    long promptTokenEstimate,
    ApiType apiType,
    boolean hasImages,
    String conversation) {}
