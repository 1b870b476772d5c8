/**
 * Ingress for {@code POST /api/v1/messages}: Anthropic-SDK clients call Switchboard in the
 * Anthropic Messages shape. Pure mappers translate the request into Switchboard's OpenAI shape and
 * the answer, streamed or not, back into Anthropic's.
 */
package dev.switchboard.api.inference.anthropic;
