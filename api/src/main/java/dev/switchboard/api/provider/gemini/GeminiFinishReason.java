package dev.switchboard.api.provider.gemini;

import java.util.Set;

/** Gemini's {@code finishReason} as an OpenAI {@code finish_reason}. */
final class GeminiFinishReason {

  private static final Set<String> FILTERED =
      Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY");

  private GeminiFinishReason() {}

  /**
   * Gemini says STOP after a function call too; OpenAI clients look for {@code tool_calls} to run
   * the tools. Reasons with no OpenAI equivalent read as {@code stop}; the caller keeps the native
   * one alongside.
   */
  static String normalize(String nativeReason, boolean calledFunctions) {
    if ("MAX_TOKENS".equals(nativeReason)) {
      return "length";
    }
    if (FILTERED.contains(nativeReason)) {
      return "content_filter";
    }
    return calledFunctions ? "tool_calls" : "stop";
  }
}
