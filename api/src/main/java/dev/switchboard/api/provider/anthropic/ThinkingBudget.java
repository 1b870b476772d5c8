package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * The {@code thinking.budget_tokens} for an OpenRouter-style {@code reasoning} object. Anthropic
 * requires the budget to be at least 1024 and below {@code max_tokens}; the gateway has already
 * priced the call on {@code max_tokens}, so the budget is cut to fit rather than {@code max_tokens}
 * raised.
 */
final class ThinkingBudget {

  static final int MINIMUM = 1024;
  static final int LOW = 1024;
  static final int MEDIUM = 4096;
  static final int HIGH = 16384;

  private ThinkingBudget() {}

  /** The budget, or empty when reasoning is off or does not fit under {@code maxTokens}. */
  static OptionalInt of(JsonNode reasoning, int maxTokens) {
    if (reasoning == null || !reasoning.isObject()) {
      return OptionalInt.empty();
    }
    if (reasoning.path("enabled").isBoolean() && !reasoning.path("enabled").booleanValue()) {
      return OptionalInt.empty();
    }
    int requested;
    if (reasoning.path("max_tokens").canConvertToInt()
        && reasoning.path("max_tokens").intValue() > 0) {
      requested = reasoning.path("max_tokens").intValue();
    } else if (reasoning.path("effort").isTextual()) {
      String effort = reasoning.path("effort").textValue();
      if ("none".equals(effort)) {
        return OptionalInt.empty();
      }
      requested = forEffort(effort);
    } else if (reasoning.path("enabled").asBoolean(false)) {
      requested = MEDIUM;
    } else {
      return OptionalInt.empty();
    }
    int budget = Math.min(requested, maxTokens - 1);
    return budget < MINIMUM ? OptionalInt.empty() : OptionalInt.of(budget);
  }

  private static int forEffort(String effort) {
    return switch (effort) {
      case "minimal", "low" -> LOW;
      case "high", "xhigh" -> HIGH;
      default -> MEDIUM;
    };
  }
}
