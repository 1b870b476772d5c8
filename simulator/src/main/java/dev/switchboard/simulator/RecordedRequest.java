package dev.switchboard.simulator;

import java.util.Collections;
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
 */
public record RecordedRequest(
    String provider, String method, String path, Map<String, String> headers, String body) {
  public RecordedRequest {
    headers = Collections.unmodifiableMap(new TreeMap<>(headers));
  }
}
