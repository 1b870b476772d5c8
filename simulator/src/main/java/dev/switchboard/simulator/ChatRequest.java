package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A completion request normalised out of any wire format: everything {@link CompletionPlan} needs,
 * nothing more.
 *
 * @param model the requested model, echoed back
 * @param seedMaterial canonical text of model + conversation; the only input to the generated text,
 *     so options like {@code max_tokens} or {@code stop} yield a prefix of the same text
 * @param promptTokens see {@link PromptTokenCounter}
 * @param maxOutputTokens the request's output cap, or null when uncapped
 * @param stopSequences stop strings, possibly empty
 * @param reasoningTokens reasoning tokens to spend, 0 when reasoning was not requested
 * @param exposeReasoning whether reasoning text is sent to the client (Anthropic always, Gemini
 *     with includeThoughts)
 * @param toolToCall the tool to call, or null to answer with text
 * @param stream whether to stream
 * @param streamUsage whether a streamed response carries usage (OpenAI needs
 *     stream_options.include_usage)
 * @param cacheablePrefix the part of the prompt before its last message, which {@link PromptCache}
 *     may hold
 * @param prefill the text of a last message of the assistant's own (a prefill), which the answer
 *     continues; empty when the conversation ends otherwise. It is not part of {@code
 *     seedMaterial}, so an answer continued from a prefix of itself goes on exactly as the whole
 *     answer would
 */
record ChatRequest(
    String model,
    String seedMaterial,
    int promptTokens,
    Integer maxOutputTokens,
    List<String> stopSequences,
    int reasoningTokens,
    boolean exposeReasoning,
    ToolDefinition toolToCall,
    boolean stream,
    boolean streamUsage,
    Prefix cacheablePrefix,
    String prefill) {

  ChatRequest {
    stopSequences = List.copyOf(stopSequences);
  }

  /** The messages but a last one of the assistant's own, and that one's text (or empty). */
  record Conversation(JsonNode messages, String prefill) {

    /**
     * Splits off a last message whose role is {@code assistantRole}, reading its text with {@code
     * text}.
     */
    static Conversation of(
        JsonNode messages,
        String assistantRole,
        java.util.function.Function<JsonNode, String> text) {
      JsonNode last = messages.size() == 0 ? null : messages.get(messages.size() - 1);
      if (last == null || !assistantRole.equals(last.path("role").asText())) {
        return new Conversation(messages, "");
      }
      com.fasterxml.jackson.databind.node.ArrayNode before = JsonCodec.MAPPER.createArrayNode();
      for (int i = 0; i < messages.size() - 1; i++) {
        before.add(messages.get(i));
      }
      return new Conversation(before, text.apply(last));
    }

    /**
     * A message's text as OpenAI and Anthropic carry it: its content string, or its text parts
     * (blocks) joined.
     */
    static String textOf(JsonNode message) {
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        return content.asText();
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asText())) {
          text.append(part.path("text").asText());
        }
      }
      return text.toString();
    }
  }

  /**
   * A prompt's part before its last message: the system prompt (or null) and every message of
   * {@code messages} but the last.
   *
   * @param tokens its prompt tokens
   * @param marked whether the request marked anything for caching ({@code cache_control}), which is
   *     what Anthropic caches by
   */
  record Prefix(String model, JsonNode system, JsonNode messages, int tokens, boolean marked) {

    /**
     * Canonical text of the model and the prefix: what makes two prefixes the same. Built only when
     * asked, since only a prompt long enough to cache needs it.
     */
    String text() {
      StringBuilder text =
          new StringBuilder(model).append('\u0000').append(system).append('\u0000');
      for (int i = 0; i < messages.size() - 1; i++) {
        text.append(messages.get(i)).append('\u0000');
      }
      return text.toString();
    }
  }
}
