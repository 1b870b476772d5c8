/**
 * Inference ingress: the hot path. A request is authenticated, validated into a {@link
 * ChatRequest}, planned into candidate endpoints, its worst case reserved, sent to providers with
 * failover before the first token, relayed as it arrives, and settled at its exact cost. The OpenAI
 * chat shape is the internal one; {@link ClientProtocol}s render it for chat, legacy completions
 * and Anthropic messages clients.
 */
package dev.switchboard.api.inference;
