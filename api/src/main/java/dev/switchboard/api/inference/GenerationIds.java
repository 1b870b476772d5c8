package dev.switchboard.api.inference;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Generation ids: {@code gen-} + epoch seconds + 20 random base-62 characters, unique and
 * unguessable enough.
 */
public final class GenerationIds {

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private GenerationIds() {}

  public static String next(long epochSeconds) {
    StringBuilder id = new StringBuilder(40).append("gen-").append(epochSeconds).append('-');
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 20; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
