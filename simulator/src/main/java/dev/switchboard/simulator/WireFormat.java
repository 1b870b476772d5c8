package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One provider's wire format: request parsing and validation, and rendering of responses, streams
 * and errors.
 */
interface WireFormat {

  /**
   * Auth and required-header checks; null when the request may proceed. Header names are
   * lower-case.
   */
  ErrorReply checkHeaders(Map<String, String> headers, String rawQuery);

  ChatRequest parse(JsonNode body, Route route) throws InvalidRequestException;

  byte[] errorBody(int status, String message);

  byte[] completionBody(ChatRequest request, CompletionPlan plan, boolean usage);

  /** The whole stream as events; {@code usage} false removes every usage field. */
  List<SseEvent> streamEvents(ChatRequest request, CompletionPlan plan, boolean usage);

  /** The event a real server sends when generation fails mid-stream. */
  SseEvent inBandError();

  /**
   * Whether the event is the format's end marker, sent after the finish reason and usage to say the
   * stream is over (OpenAI's {@code [DONE]}, Anthropic's {@code message_stop}); Gemini has none.
   */
  default boolean isEndMarker(SseEvent event) {
    return false;
  }

  /** A data event whose payload is not valid JSON. */
  SseEvent malformedEvent();

  /** Body for a model listing request. */
  byte[] modelsBody();

  /**
   * Whether the provider caches only prompts that mark something with {@code cache_control}
   * (Anthropic) rather than every long prompt (OpenAI, Gemini); see {@link PromptCache}.
   */
  default boolean cachesOnlyMarkedPrompts() {
    return false;
  }

  /** Extra response headers real servers send (request ids), added to every response. */
  default Map<String, String> responseHeaders() {
    return Map.of();
  }

  default String sseLineEnd() {
    return "\n";
  }
}
