package dev.switchboard.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one SHA-256 of the domain: how secrets handed out (keys, links, sessions) are stored. */
public final class Digests {

  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  /** SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits. */
  public static String sha256Hex(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HEX.formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
