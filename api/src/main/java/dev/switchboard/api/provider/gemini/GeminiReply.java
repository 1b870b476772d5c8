package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code GenerateContentResponse} (a whole answer, or one stream chunk) says, read from
 * its first candidate: Switchboard never asks for more than one.
 *
 * @param hasCandidate whether Gemini sent a candidate at all (not when the prompt was blocked)
 * @param text the non-thought text parts, joined; null when there are none
 * @param reasoning the {@code thought: true} text parts, joined; null when there are none
 * @param finishReason Gemini's raw {@code finishReason}; null while a stream goes on
 * @param blockReason {@code promptFeedback.blockReason} when the prompt itself was refused, else
 *     null
 * @param usageMetadata Gemini's {@code usageMetadata}, or a missing node
 */
record GeminiReply(
    boolean hasCandidate,
    String text,
    String reasoning,
    List<FunctionCall> functionCalls,
    String finishReason,
    String blockReason,
    JsonNode usageMetadata) {

  /** One {@code functionCall} part. */
  record FunctionCall(String name, JsonNode args) {}

  static GeminiReply of(JsonNode response) {
    JsonNode candidate = response.path("candidates").path(0);
    StringBuilder text = null;
    StringBuilder reasoning = null;
    List<FunctionCall> calls = new ArrayList<>();
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        JsonNode call = part.get("functionCall");
        calls.add(new FunctionCall(call.path("name").asText(), call.path("args")));
      } else if (part.path("text").isTextual()) {
        if (part.path("thought").asBoolean(false)) {
          reasoning =
              (reasoning == null ? new StringBuilder() : reasoning)
                  .append(part.get("text").asText());
        } else {
          text = (text == null ? new StringBuilder() : text).append(part.get("text").asText());
        }
      }
    }
    return new GeminiReply(
        candidate.isObject(),
        text == null ? null : text.toString(),
        reasoning == null ? null : reasoning.toString(),
        List.copyOf(calls),
        textOrNull(candidate.path("finishReason")),
        textOrNull(response.path("promptFeedback").path("blockReason")),
        response.path("usageMetadata"));
  }

  boolean promptBlocked() {
    return !hasCandidate && blockReason != null;
  }

  private static String textOrNull(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
