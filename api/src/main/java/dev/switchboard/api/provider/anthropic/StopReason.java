package dev.switchboard.api.provider.anthropic;

/** Anthropic's {@code stop_reason} as an OpenAI {@code finish_reason}. */
final class StopReason {

  private StopReason() {}

  static String toFinishReason(String stopReason) {
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      // end_turn, stop_sequence, pause_turn and reasons added later all ended the turn normally.
      default -> "stop";
    };
  }
}
