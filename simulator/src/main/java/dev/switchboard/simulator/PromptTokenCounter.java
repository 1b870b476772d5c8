package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Accumulates prompt tokens the same way for every wire format: each message (system prompts
 * included) costs a fixed overhead, text costs its {@link Tokenizer} count, each image/file part a
 * fixed amount, and structured values (tool definitions, tool-call arguments, tool results) the
 * token count of their compact JSON.
 */
final class PromptTokenCounter {
  static final int PER_MESSAGE = 3;
  static final int PER_IMAGE = 85;

  private int total;
  private int beforeLastMessage;

  void message() {
    beforeLastMessage = total;
    total += PER_MESSAGE;
  }

  void text(String text) {
    if (text != null) {
      total += Tokenizer.count(text);
    }
  }

  void image() {
    total += PER_IMAGE;
  }

  void json(JsonNode node) {
    if (node != null && !node.isMissingNode() && !node.isNull()) {
      total += Tokenizer.count(node.isTextual() ? node.asText() : node.toString());
    }
  }

  int total() {
    return total;
  }

  /** The tokens counted before the last message began: the prompt's cacheable prefix. */
  int beforeLastMessage() {
    return beforeLastMessage;
  }
}
