package dev.switchboard.simulator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers shaped like the real providers' ids. Ids are deliberately not derived from the
 * prompt: real providers never repeat an id, and gateways may rely on that for idempotency or
 * logging.
 */
final class ResponseIds {
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private ResponseIds() {}

  static String random(String prefix, int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = BASE62[random.nextInt(BASE62.length)];
    }
    return prefix + new String(chars);
  }
}
