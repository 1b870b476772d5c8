package dev.switchboard.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each simulated provider's prompt cache, as OpenAI, Anthropic and Gemini run theirs, simplified to
 * whole prefixes: a prompt's part before its last message (at least {@link #MIN_TOKENS} tokens) is
 * written the first time it is seen and read each time after, as long as it is remembered (the
 * {@link #CAPACITY} most recently used). Anthropic caches only requests that mark something with
 * {@code cache_control}, and reports both writes and reads; OpenAI and Gemini cache every long
 * prompt and report reads alone (their writes cost nothing extra).
 */
final class PromptCache {

  /** The smallest prefix the providers cache. */
  static final int MIN_TOKENS = 1024;

  static final int CAPACITY = 10_000;

  /** What a request read from the cache and wrote to it, in prompt tokens. */
  record Use(int readTokens, int writeTokens) {
    static final Use NONE = new Use(0, 0);
  }

  private final Map<String, Boolean> prefixes =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CAPACITY;
        }
      };

  /**
   * Reads or writes a request's prefix in the provider's cache, by the rules of the format that
   * carried it.
   */
  Use use(String provider, ChatRequest.Prefix prefix, boolean onlyWhenMarked) {
    if (prefix.tokens() < MIN_TOKENS || onlyWhenMarked && !prefix.marked()) {
      return Use.NONE;
    }
    String key = provider + '\u0000' + digest(prefix.text());
    boolean seen;
    synchronized (prefixes) {
      seen = prefixes.put(key, Boolean.TRUE) != null;
    }
    if (seen) {
      return new Use(prefix.tokens(), 0);
    }
    return new Use(0, onlyWhenMarked ? prefix.tokens() : 0);
  }

  private static String digest(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return Base64.getEncoder()
          .encodeToString(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
