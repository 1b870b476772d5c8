package dev.switchboard.domain.accounts;

import dev.switchboard.domain.Digests;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The random secrets handed to a person (a session cookie, an e-mailed link): 256 bits, URL-safe.
 * Only their SHA-256 is stored, so a copy of the database opens no session and follows no link.
 */
final class SecretToken {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretToken() {}

  static String generate() {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The stored form; anything may be passed, a malformed token simply matches nothing. */
  static String hash(String token) {
    return Digests.sha256Hex(token == null ? "" : token);
  }
}
