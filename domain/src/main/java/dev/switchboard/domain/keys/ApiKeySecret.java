package dev.switchboard.domain.keys;

import dev.switchboard.domain.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The plaintext form of an API key: {@code sk-sb-v1-} + 256 random bits as 64 hex digits + an
 * 8-digit CRC-32 checksum of them, so a scanner (or our own front door) can tell a real key from a
 * typo offline, before any lookup.
 */
public final class ApiKeySecret {

  public static final String PREFIX = "sk-sb-v1-";
  private static final int RANDOM_HEX = 64;
  private static final int CHECKSUM_HEX = 8;
  private static final int LENGTH = PREFIX.length() + RANDOM_HEX + CHECKSUM_HEX;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private ApiKeySecret() {}

  public static String generate() {
    byte[] random = new byte[RANDOM_HEX / 2];
    RANDOM.nextBytes(random);
    String body = HEX.formatHex(random);
    return PREFIX + body + checksum(body);
  }

  /** True when the text has the shape and checksum of a key we issued. */
  public static boolean isWellFormed(String text) {
    if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
      return false;
    }
    String body = text.substring(PREFIX.length(), PREFIX.length() + RANDOM_HEX);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return MessageDigest.isEqual(
        checksum(body).getBytes(StandardCharsets.US_ASCII),
        text.substring(PREFIX.length() + RANDOM_HEX).getBytes(StandardCharsets.US_ASCII));
  }

  /** The SHA-256 of the key as lower-case hex: what is stored, and the key's public "hash". */
  public static String hash(String plaintext) {
    return Digests.sha256Hex(plaintext);
  }

  /** A masked form safe to show and log: {@code sk-sb-v1-3f2…9ab}. */
  public static String label(String plaintext) {
    return plaintext.substring(0, PREFIX.length() + 3)
        + "..."
        + plaintext.substring(plaintext.length() - 3);
  }

  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    return String.format("%08x", crc.getValue());
  }
}
