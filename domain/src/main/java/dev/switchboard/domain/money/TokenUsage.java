package dev.switchboard.domain.money;

/**
 * What a generation consumed, as the provider reported it (or as estimated when it reported
 * nothing). {@code cachedPromptTokens} and {@code cacheWriteTokens} are parts of {@code
 * promptTokens}; {@code reasoningTokens} is part of {@code completionTokens}, as in OpenAI's usage
 * object.
 */
public record TokenUsage(
    long promptTokens,
    long completionTokens,
    long reasoningTokens,
    long cachedPromptTokens,
    long cacheWriteTokens,
    int images,
    int webSearches) {

  public TokenUsage {
    if (promptTokens < 0
        || completionTokens < 0
        || reasoningTokens < 0
        || cachedPromptTokens < 0
        || cacheWriteTokens < 0
        || images < 0
        || webSearches < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (reasoningTokens > completionTokens) {
      throw new IllegalArgumentException("reasoning tokens exceed completion tokens");
    }
    if (cachedPromptTokens + cacheWriteTokens > promptTokens) {
      throw new IllegalArgumentException("cached tokens exceed prompt tokens");
    }
  }

  public static TokenUsage of(long promptTokens, long completionTokens) {
    return new TokenUsage(promptTokens, completionTokens, 0, 0, 0, 0, 0);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** The usage of two calls that made one answer together (a stream resumed on another). */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        Math.addExact(promptTokens, other.promptTokens),
        Math.addExact(completionTokens, other.completionTokens),
        Math.addExact(reasoningTokens, other.reasoningTokens),
        Math.addExact(cachedPromptTokens, other.cachedPromptTokens),
        Math.addExact(cacheWriteTokens, other.cacheWriteTokens),
        Math.addExact(images, other.images),
        Math.addExact(webSearches, other.webSearches));
  }
}
