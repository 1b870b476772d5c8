package dev.switchboard.api.provider;

import java.net.http.HttpHeaders;
import java.time.Duration;

/**
 * A provider's {@code Retry-After} header, read the same way for every wire format: delay-seconds
 * only (RFC 9110: {@code 1*DIGIT}, whitespace around it allowed, at most nine digits). An
 * HTTP-date, a sign or anything else is not used, since it would be relayed to clients as is.
 */
public final class RetryAfter {

  private RetryAfter() {}

  /** The delay the provider asked for, or null when it sent none that reads as seconds. */
  public static Duration of(HttpHeaders headers) {
    if (headers == null) {
      return null;
    }
    return headers.firstValue("retry-after").map(RetryAfter::seconds).orElse(null);
  }

  private static Duration seconds(String value) {
    String seconds = value.strip();
    if (seconds.isEmpty()
        || seconds.length() > 9
        || !seconds.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(seconds));
  }
}
