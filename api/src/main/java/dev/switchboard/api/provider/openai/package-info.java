/**
 * The OpenAI chat-completions wire format. Switchboard's internal shape is this one, so the mapping
 * is thin: the provider's model id, usage requested in streams, OpenRouter-only fields translated.
 */
package dev.switchboard.api.provider.openai;
