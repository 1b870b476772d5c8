package dev.switchboard.api.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderError.Kind;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiErrorMapperTest {

  private static final HttpHeaders NO_HEADERS = headers(Map.of());

  private final GeminiErrorMapper mapper = new GeminiErrorMapper();

  private static HttpHeaders headers(Map<String, List<String>> values) {
    return HttpHeaders.of(values, (name, value) -> true);
  }

  @ParameterizedTest
  @CsvSource({
    "error-invalid-argument.json, 400, BAD_REQUEST, false",
    "error-context-length.json, 400, CONTEXT_LENGTH, false",
    "error-api-key-invalid.json, 400, AUTHENTICATION, true",
    "error-failed-precondition.json, 400, BAD_REQUEST, false",
    "error-unauthenticated.json, 401, AUTHENTICATION, true",
    "error-permission-denied.json, 403, AUTHENTICATION, true",
    "error-not-found.json, 404, BAD_REQUEST, false",
    "error-rate-limited.json, 429, RATE_LIMITED, true",
    "error-internal.json, 500, UNAVAILABLE, true",
    "error-unavailable.json, 503, UNAVAILABLE, true",
    "error-deadline-exceeded.json, 504, TIMEOUT, true"
  })
  void classifiesGeminiErrorBodies(String fixture, int status, Kind kind, boolean retryable) {
    ProviderError error = mapper.fromHttp(status, NO_HEADERS, Fixtures.bytes(fixture));

    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.upstreamStatus()).isEqualTo(status);
    assertThat(error.retryable()).isEqualTo(retryable);
  }

  @Test
  void keepsGeminisMessage() {
    ProviderError error =
        mapper.fromHttp(400, NO_HEADERS, Fixtures.bytes("error-context-length.json"));

    assertThat(error.message())
        .isEqualTo(
            "The input token count (1310720) exceeds the maximum number of tokens allowed (1048576).");
  }

  @Test
  void takesTheRetryDelayFromTheRetryAfterHeaderFirst() {
    ProviderError error =
        mapper.fromHttp(
            429,
            headers(Map.of("Retry-After", List.of("12"))),
            Fixtures.bytes("error-rate-limited.json"));

    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void takesTheRetryDelayFromRetryInfoWithoutAHeader() {
    ProviderError error =
        mapper.fromHttp(429, NO_HEADERS, Fixtures.bytes("error-rate-limited.json"));

    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(37));
  }

  @Test
  void givesNoRetryDelayForErrorsOtherThanRateLimits() {
    ProviderError error =
        mapper.fromHttp(
            503,
            headers(Map.of("Retry-After", List.of("5"))),
            Fixtures.bytes("error-unavailable.json"));

    assertThat(error.retryAfter()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST",
    "401, AUTHENTICATION",
    "403, AUTHENTICATION",
    "404, BAD_REQUEST",
    "408, TIMEOUT",
    "429, RATE_LIMITED",
    "500, UNAVAILABLE",
    "502, UNAVAILABLE",
    "503, UNAVAILABLE",
    "504, TIMEOUT"
  })
  void classifiesAnUnreadableBodyByItsStatus(int status, Kind kind) {
    byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);

    ProviderError error = mapper.fromHttp(status, NO_HEADERS, html);

    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.message()).isEqualTo("Gemini answered HTTP " + status);
  }

  @Test
  void readsAnErrorWrappedInAnArrayByTheStreamingEndpoint() {
    byte[] body =
        ("[" + new String(Fixtures.bytes("error-unavailable.json"), StandardCharsets.UTF_8) + "]")
            .getBytes(StandardCharsets.UTF_8);

    ProviderError error = mapper.fromHttp(503, NO_HEADERS, body);

    assertThat(error.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(error.message()).isEqualTo("The model is overloaded. Please try again later.");
  }

  @Test
  void classifiesAnEmptyBodyByItsStatus() {
    assertThat(mapper.fromHttp(429, NO_HEADERS, new byte[0]).kind()).isEqualTo(Kind.RATE_LIMITED);
  }
}
