package dev.switchboard.api.provider;

import java.time.Duration;

/**
 * A provider's failure, classified. {@code retryable} says whether another attempt (the next
 * provider, or the same one later) may succeed; the failover loop decides by it and by nothing
 * else.
 */
public record ProviderError(
    Kind kind, int upstreamStatus, String message, Duration retryAfter, boolean retryable) {

  /** What went wrong, independent of the wire format. */
  public enum Kind {
    /** 400-like: the request itself is wrong for this provider. */
    BAD_REQUEST,
    /** The provider refused our API key. */
    AUTHENTICATION,
    /** The provider's own rate limit or quota. */
    RATE_LIMITED,
    /** The prompt does not fit the model's context. */
    CONTEXT_LENGTH,
    /** The provider's moderation refused the content. */
    CONTENT_FILTER,
    /** 5xx, overloaded, or down. */
    UNAVAILABLE,
    /** No answer in time: before the first byte, or a stream that stalled. */
    TIMEOUT,
    /** The connection failed or was cut. */
    CONNECTION,
    /** The provider answered with something we cannot read. */
    MALFORMED_RESPONSE
  }

  public static ProviderError of(Kind kind, int upstreamStatus, String message) {
    return new ProviderError(kind, upstreamStatus, message, null, isRetryable(kind));
  }

  public static ProviderError of(
      Kind kind, int upstreamStatus, String message, Duration retryAfter) {
    return new ProviderError(kind, upstreamStatus, message, retryAfter, isRetryable(kind));
  }

  private static boolean isRetryable(Kind kind) {
    return switch (kind) {
      case RATE_LIMITED, UNAVAILABLE, TIMEOUT, CONNECTION, MALFORMED_RESPONSE, AUTHENTICATION ->
          true;
      case BAD_REQUEST, CONTEXT_LENGTH, CONTENT_FILTER -> false;
    };
  }

  /**
   * Whether this failure says something about the endpoint (and so counts against its health and
   * its circuit breaker), rather than about the caller's request: 5xx, 429, timeouts, cut or
   * refused connections, unreadable answers, and the provider refusing the platform's key.
   */
  public boolean blamesEndpoint() {
    return switch (kind) {
      case RATE_LIMITED, UNAVAILABLE, TIMEOUT, CONNECTION, MALFORMED_RESPONSE, AUTHENTICATION ->
          true;
      case BAD_REQUEST, CONTEXT_LENGTH, CONTENT_FILTER -> false;
    };
  }

  /** The status Switchboard answers with when this is the last error. */
  public int clientStatus() {
    return switch (kind) {
      case BAD_REQUEST, CONTEXT_LENGTH -> 400;
      case CONTENT_FILTER -> 403;
      case RATE_LIMITED -> 429;
      case TIMEOUT -> 504;
      case AUTHENTICATION, UNAVAILABLE, CONNECTION, MALFORMED_RESPONSE -> 502;
    };
  }
}
