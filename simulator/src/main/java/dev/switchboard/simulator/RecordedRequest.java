package dev.switchboard.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request as the simulator received it, so tests can assert exactly what the gateway sent.
 *
 * @param provider the first path segment (the simulated provider's name)
 * @param method HTTP method
 * @param path decoded path plus the raw query string, with any {@code key=} query value redacted to
 *     {@code ***}
 * @param headers header names lower-cased, repeated values joined with {@code ", "}; credential
 *     headers ({@code authorization}, {@code x-api-key}, {@code x-goog-api-key}, ...) redacted to
 *     {@code ***}
 * @param body the raw request body decoded as UTF-8
 * @param credential the {@link #fingerprint} of the credential the request carried (a bearer token,
 *     {@code x-api-key}, {@code x-goog-api-key} or a {@code key=} query value), or null: which key
 *     was used, without the key
 */
public record RecordedRequest(
    String provider,
    String method,
    String path,
    Map<String, String> headers,
    String body,
    String credential) {
  public RecordedRequest {
    headers = Collections.unmodifiableMap(new TreeMap<>(headers));
  }

  /**
   * The first 16 hex digits of a credential's SHA-256: safe to print, enough to tell keys apart.
   */
  public static String fingerprint(String credential) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
