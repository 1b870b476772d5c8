/**
 * The Anthropic Messages wire format, egress: {@link AnthropicWire} maps Switchboard's
 * OpenAI-shaped chat request to {@code POST {base}/messages} and reads answers, streams and errors
 * back. Each direction is a pure, separately tested piece; none does I/O.
 */
package dev.switchboard.api.provider.anthropic;
