package dev.switchboard.simulator;

import java.util.Locale;

/** Maps the providers' effort words to a fixed number of simulated reasoning tokens. */
final class ReasoningEffort {
  static final int DEFAULT_TOKENS = 16;

  private ReasoningEffort() {}

  static int tokensFor(String effort) {
    if (effort == null) {
      return DEFAULT_TOKENS;
    }
    switch (effort.toLowerCase(Locale.ROOT)) {
      case "none":
        return 0;
      case "minimal":
        return 4;
      case "low":
        return 8;
      case "high":
      case "xhigh":
        return 32;
      default:
        return DEFAULT_TOKENS;
    }
  }
}
