package dev.switchboard.domain.byok;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key-encryption key, which wraps the data keys of provider secrets. Its {@link
 * #id()} is a fingerprint stored beside each wrapped data key, so that a rotation knows which rows
 * are still under the old key; the key itself is never printed.
 */
public final class MasterKey {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BYTES = 32;

  private final SecretKey key;
  private final String id;

  private MasterKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
    this.id = fingerprint(bytes);
  }

  /**
   * The key written as base64 of exactly 32 bytes (standard or URL-safe alphabet).
   *
   * @param source where the text comes from, for the message when it is refused
   * @throws MasterKeyException when it is not base64 of 32 bytes
   */
  public static MasterKey fromBase64(String text, String source) {
    String trimmed = text == null ? "" : text.strip();
    byte[] bytes;
    try {
      bytes =
          trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(trimmed)
              : Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException e) {
      throw new MasterKeyException(
          source
              + " is not base64: it must be 32 random bytes in base64, e.g. the output of"
              + " `openssl rand -base64 32`");
    }
    if (bytes.length != BYTES) {
      throw new MasterKeyException(
          source
              + " decodes to "
              + bytes.length
              + " bytes: it must be exactly 32 random bytes (256 bits) in base64, e.g. the output"
              + " of `openssl rand -base64 32`");
    }
    return new MasterKey(bytes);
  }

  /** A new random key. */
  public static MasterKey generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  /** The fingerprint that names this key in the database: 16 hex digits of a SHA-256. */
  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  /** The key's text, for writing the generated key file only. */
  String toBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  private static String fingerprint(byte[] bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("switchboard byok master key id\0".getBytes(StandardCharsets.US_ASCII));
      byte[] hash = digest.digest(bytes);
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[" + id + "]";
  }
}
