/**
 * Egress: calling providers. Inside Switchboard a chat request, its response and its stream chunks
 * are in the OpenAI chat-completions shape; each wire format ({@link WireFormat}) maps that shape
 * to and from its provider's, with pure functions tested on recorded fixtures. {@link
 * ProviderClient} is the only class that does I/O. Which errors fail over is decided by {@link
 * ProviderError#retryable()}, in one place.
 */
package dev.switchboard.api.provider;
