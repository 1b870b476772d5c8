/**
 * Google Gemini {@code generateContent} / {@code streamGenerateContent?alt=sse}: maps Switchboard's
 * OpenAI chat shape to Gemini's {@code contents}/{@code parts} and back. {@link GeminiWire}
 * composes pure pieces — request, response, stream and error mappers — each tested on recorded
 * Gemini bodies.
 */
package dev.switchboard.api.provider.gemini;
