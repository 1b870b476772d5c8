package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the current attempt has produced, tallied as its answer passes: characters of output, when
 * its first token came, its finish reason, the provider's usage, whether it said {@code [DONE]};
 * the role-only opening chunks held back until output comes; and, when the answer may be resumed,
 * the text relayed so far. One per exchange, {@link #reset} for each attempt; guarded by the
 * exchange's monitor.
 */
final class AttemptOutput {

  private final boolean keepText;

  private long firstTokenNanos;
  private long producedChars;
  private boolean relayed;
  private JsonNode usage;
  private String finishReason;
  private String nativeFinishReason;
  private boolean sawDone;
  private final List<ObjectNode> heldBack = new ArrayList<>(1);
  private final StringBuilder text = new StringBuilder();
  private boolean toolCalls;

  /**
   * @param keepText whether to keep the text relayed (for {@code provider.resume})
   */
  AttemptOutput(boolean keepText) {
    this.keepText = keepText;
  }

  void reset() {
    firstTokenNanos = 0;
    producedChars = 0;
    relayed = false;
    usage = null;
    finishReason = null;
    nativeFinishReason = null;
    sawDone = false;
    heldBack.clear();
    text.setLength(0);
    toolCalls = false;
  }

  /** A non-streamed answer: all of it at once, with the provider's usage when it sent one. */
  void answered(ObjectNode completion) {
    firstTokenNanos = System.nanoTime();
    usage = completion.get("usage");
    JsonNode choice = completion.path("choices").path(0);
    producedChars = producedChars(choice.path("message"));
    finishReason = textOrNull(choice.get("finish_reason"));
    nativeFinishReason = textOrNull(choice.get("native_finish_reason"));
  }

  /**
   * Tallies a chunk of a stream.
   *
   * @return whether it carries output; one that does not (a role-only opening) is the caller's to
   *     hold back or drop
   */
  boolean tally(ObjectNode chunk) {
    JsonNode choice = chunk.path("choices").path(0);
    long chars = producedChars(choice.path("delta"));
    if (firstTokenNanos == 0 && chars > 0) {
      // the first token is the first content, not a role-only chunk sent before any
      firstTokenNanos = System.nanoTime();
    }
    producedChars += chars;
    if (choice.hasNonNull("finish_reason")) {
      finishReason = choice.get("finish_reason").asText();
      nativeFinishReason = textOrNull(choice.get("native_finish_reason"));
    }
    return carriesOutput(choice);
  }

  /** Holds a chunk back until output comes. */
  void holdBack(ObjectNode chunk) {
    heldBack.add(chunk);
  }

  /** The chunks held back so far, which are then no longer held. */
  List<ObjectNode> takeHeldBack() {
    List<ObjectNode> taken = List.copyOf(heldBack);
    heldBack.clear();
    return taken;
  }

  /** A chunk with output has been sent to the client. */
  void relayed(ObjectNode chunk) {
    relayed = true;
    if (keepText) {
      JsonNode delta = chunk.path("choices").path(0).path("delta");
      text.append(delta.path("content").asText(""));
      toolCalls |= delta.path("tool_calls").size() > 0;
    }
  }

  void usage(JsonNode providerUsage) {
    this.usage = providerUsage;
  }

  void done() {
    sawDone = true;
  }

  /** The answer ended in failure, reported in-band. */
  void failedInBand() {
    finishReason = "error";
  }

  /** Whether the answer ended in failure (and so, by zero-completion insurance, costs nothing). */
  boolean failed() {
    return "error".equals(finishReason);
  }

  /** Whether the provider ended its answer: a finish reason or its end marker. */
  boolean ended() {
    return sawDone || finishReason != null;
  }

  /** Whether anything of the answer reached the client. */
  boolean relayedAny() {
    return relayed;
  }

  /** The text relayed so far, when it is all the output relayed (no tool call), else null. */
  String relayedTextOnly() {
    return toolCalls ? null : text.toString();
  }

  /** The tokens the attempt produced: the provider's count, or an estimate from what came. */
  UsageAccounting.Measured measured(long promptEstimate) {
    return UsageAccounting.measure(usage, promptEstimate, producedChars);
  }

  JsonNode usage() {
    return usage;
  }

  long firstTokenNanos() {
    return firstTokenNanos;
  }

  String finishReason() {
    return finishReason;
  }

  String nativeFinishReason() {
    return nativeFinishReason;
  }

  private static boolean carriesOutput(JsonNode choice) {
    JsonNode delta = choice.path("delta");
    return choice.hasNonNull("finish_reason")
        || !delta.path("content").asText("").isEmpty()
        || !delta.path("reasoning").asText("").isEmpty()
        || delta.path("tool_calls").size() > 0;
  }

  /**
   * Characters of text an answer (or delta) produced: content, reasoning and tool-call arguments.
   */
  private static long producedChars(JsonNode message) {
    long chars =
        message.path("content").asText("").length() + message.path("reasoning").asText("").length();
    for (JsonNode call : message.path("tool_calls")) {
      chars += call.path("function").path("arguments").asText("").length();
      chars += call.path("function").path("name").asText("").length();
    }
    return chars;
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
