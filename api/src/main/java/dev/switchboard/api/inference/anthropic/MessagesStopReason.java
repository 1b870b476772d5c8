package dev.switchboard.api.inference.anthropic;

/** An OpenAI {@code finish_reason} as Anthropic's {@code stop_reason}. */
final class MessagesStopReason {

  private MessagesStopReason() {}

  /**
   * @param nativeFinishReason the provider's own reason; kept when the provider was Anthropic, so a
   *     {@code stop_sequence} stays one
   */
  static String of(String finishReason, String nativeFinishReason) {
    if ("stop".equals(finishReason) && "stop_sequence".equals(nativeFinishReason)) {
      return "stop_sequence";
    }
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }
}
