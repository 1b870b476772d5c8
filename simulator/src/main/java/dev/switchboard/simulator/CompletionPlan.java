package dev.switchboard.simulator;

import java.util.List;

/**
 * Everything a response will say, computed once and deterministically from a {@link ChatRequest};
 * the wire formats only render it. Token rules:
 *
 * <ul>
 *   <li>visible text is {@code textPieces}, one {@link Tokenizer} token per piece, so streamed
 *       pieces add up exactly to {@code textTokens};
 *   <li>reasoning (when requested) is {@code reasoningTokens} words, rendered as thinking text or
 *       hidden;
 *   <li>a tool call costs {@link ToolCall#tokens()} and replaces the text;
 *   <li>the output cap covers reasoning + visible text, as it does at OpenAI/Anthropic/Gemini;
 *   <li>{@code cacheReadTokens} and {@code cacheWriteTokens} are parts of {@code promptTokens}.
 * </ul>
 */
record CompletionPlan(
    int promptTokens,
    int cacheReadTokens,
    int cacheWriteTokens,
    String text,
    List<String> textPieces,
    String reasoningText,
    List<String> reasoningPieces,
    ToolCall toolCall,
    Finish finish,
    String matchedStopSequence) {

  /** Why generation ended, in format-neutral terms. */
  enum Finish {
    STOP,
    LENGTH,
    STOP_SEQUENCE,
    TOOL_CALL
  }

  static final int MIN_DEFAULT_LENGTH = 16;
  static final int MAX_DEFAULT_LENGTH = 48;

  CompletionPlan {
    textPieces = List.copyOf(textPieces);
    reasoningPieces = List.copyOf(reasoningPieces);
  }

  /**
   * @param lengthOverride the {@code x-sim-completion-tokens} value, or null for the hash-derived
   *     default
   */
  static CompletionPlan of(ChatRequest request, Integer lengthOverride) {
    long seed = WordSource.seedOf(request.seedMaterial());
    WordSource words = new WordSource(seed);
    int defaultLength =
        MIN_DEFAULT_LENGTH + words.nextInt(MAX_DEFAULT_LENGTH - MIN_DEFAULT_LENGTH + 1);
    int wanted = lengthOverride != null ? lengthOverride : defaultLength;
    Integer cap = request.maxOutputTokens();

    int reasoningTokens =
        cap == null ? request.reasoningTokens() : Math.min(request.reasoningTokens(), cap);
    String reasoningText =
        reasoningTokens == 0 ? "" : new WordSource(~seed).sentence(reasoningTokens);
    List<String> reasoningPieces = Tokenizer.pieces(reasoningText);

    if (request.toolToCall() != null) {
      // Tool arguments are small and schema-driven; the output cap is not applied to them.
      return new CompletionPlan(
          request.promptTokens(),
          0,
          0,
          "",
          List.of(),
          reasoningText,
          reasoningPieces,
          ToolArguments.callFor(request.toolToCall()),
          Finish.TOOL_CALL,
          null);
    }

    int visibleCap = cap == null ? Integer.MAX_VALUE : cap - reasoningTokens;
    List<String> whole = Tokenizer.pieces(words.sentence(wanted));
    int continued = continuedPieces(whole, request.prefill());
    int left = whole.size() - continued;
    Finish finish = left > visibleCap ? Finish.LENGTH : Finish.STOP;
    String text = String.join("", whole.subList(continued, continued + Math.min(left, visibleCap)));

    String matched = null;
    int cutAt = -1;
    for (String stop : request.stopSequences()) {
      int at = stop.isEmpty() ? -1 : text.indexOf(stop);
      if (at >= 0 && (cutAt < 0 || at < cutAt)) {
        cutAt = at;
        matched = stop;
      }
    }
    if (matched != null) {
      text = text.substring(0, cutAt);
      finish = Finish.STOP_SEQUENCE;
    }
    List<String> pieces = Tokenizer.pieces(text);
    return new CompletionPlan(
        request.promptTokens(),
        0,
        0,
        String.join("", pieces),
        pieces,
        reasoningText,
        reasoningPieces,
        null,
        finish,
        matched);
  }

  /**
   * How many of the whole answer's pieces a prefill already holds: all of those it begins with,
   * when it is a prefix of the answer at a piece boundary (the answer then goes on from there, as a
   * provider continues an assistant prefill); none otherwise.
   */
  private static int continuedPieces(List<String> whole, String prefill) {
    if (prefill.isEmpty()) {
      return 0;
    }
    int length = 0;
    for (int i = 0; i < whole.size(); i++) {
      String piece = whole.get(i);
      if (!prefill.startsWith(piece, length)) {
        return 0;
      }
      length += piece.length();
      if (length == prefill.length()) {
        return i + 1;
      }
    }
    return 0;
  }

  /**
   * The same answer, with usage reporting {@code tokens} prompt tokens (a tokenizer counting more).
   */
  CompletionPlan reportingPromptTokens(int tokens) {
    int read = Math.min(cacheReadTokens, tokens);
    return new CompletionPlan(
        tokens,
        read,
        Math.min(cacheWriteTokens, tokens - read),
        text,
        textPieces,
        reasoningText,
        reasoningPieces,
        toolCall,
        finish,
        matchedStopSequence);
  }

  /** The same answer, with usage reporting what the prompt read from and wrote to the cache. */
  CompletionPlan withCache(PromptCache.Use cache) {
    return new CompletionPlan(
        promptTokens,
        cache.readTokens(),
        cache.writeTokens(),
        text,
        textPieces,
        reasoningText,
        reasoningPieces,
        toolCall,
        finish,
        matchedStopSequence);
  }

  int textTokens() {
    return textPieces.size();
  }

  int reasoningTokens() {
    return reasoningPieces.size();
  }

  /** Visible output: the text or the tool call, without reasoning. */
  int visibleTokens() {
    return toolCall != null ? toolCall.tokens() : textTokens();
  }

  /**
   * All output tokens including reasoning, which is what OpenAI and Anthropic bill as
   * completion/output.
   */
  int completionTokens() {
    return visibleTokens() + reasoningTokens();
  }
}
