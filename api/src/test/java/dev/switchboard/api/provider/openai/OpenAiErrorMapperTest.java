package dev.switchboard.api.provider.openai;

import static dev.switchboard.api.provider.openai.OpenAiFixtures.bytes;
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

class OpenAiErrorMapperTest {

  private static final HttpHeaders NO_HEADERS = headers(Map.of());

  private static HttpHeaders headers(Map<String, List<String>> values) {
    return HttpHeaders.of(values, (name, value) -> true);
  }

  @ParameterizedTest
  @CsvSource({
    "error-context-length.json, 400, CONTEXT_LENGTH, false, 400",
    "error-invalid-request.json, 400, BAD_REQUEST, false, 400",
    "error-invalid-api-key.json, 401, AUTHENTICATION, true, 502",
    "error-invalid-api-key.json, 403, AUTHENTICATION, true, 502",
    "error-rate-limit.json, 429, RATE_LIMITED, true, 429",
    "error-server.json, 500, UNAVAILABLE, true, 502",
    "error-bad-gateway.html, 502, UNAVAILABLE, true, 502",
    "error-overloaded.json, 503, UNAVAILABLE, true, 502",
    "error-server.json, 504, TIMEOUT, true, 504",
    "error-server.json, 408, TIMEOUT, true, 504"
  })
  void classifiesOpenAiErrorBodies(
      String fixture, int status, Kind kind, boolean retryable, int clientStatus) {
    ProviderError error = OpenAiErrorMapper.fromError(status, NO_HEADERS, bytes(fixture));

    assertThat(error.kind()).isEqualTo(kind);
    assertThat(error.upstreamStatus()).isEqualTo(status);
    assertThat(error.retryable()).isEqualTo(retryable);
    assertThat(error.clientStatus()).isEqualTo(clientStatus);
  }

  @Test
  void keepsTheProvidersMessageForAContextLengthError() {
    ProviderError error =
        OpenAiErrorMapper.fromError(400, NO_HEADERS, bytes("error-context-length.json"));

    assertThat(error)
        .isEqualTo(
            new ProviderError(
                Kind.CONTEXT_LENGTH,
                400,
                "This model's maximum context length is 128000 tokens. However, your messages"
                    + " resulted in 130412 tokens. Please reduce the length of the messages.",
                null,
                false));
  }

  @Test
  void recognisesAContextLengthErrorByItsMessageWhenTheProviderSendsNoCode() {
    byte[] body =
        """
        {"error":{"message":"This model's maximum context length is 4096 tokens. However, you \
        requested 5210 tokens (4186 in the messages, 1024 in the completion).",
          "type":"BadRequestError","param":null,"code":400}}
        """
            .getBytes(StandardCharsets.UTF_8);

    assertThat(OpenAiErrorMapper.fromError(400, NO_HEADERS, body).kind())
        .isEqualTo(Kind.CONTEXT_LENGTH);
  }

  @Test
  void takesTheRetryDelayOfARateLimitFromRetryAfter() {
    ProviderError error =
        OpenAiErrorMapper.fromError(
            429, headers(Map.of("Retry-After", List.of("20"))), bytes("error-rate-limit.json"));

    assertThat(error.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(error.message()).startsWith("Rate limit reached for gpt-4o in organization");
  }

  @Test
  void hasNoRetryDelayWithoutAHeader() {
    assertThat(
            OpenAiErrorMapper.fromError(429, NO_HEADERS, bytes("error-rate-limit.json"))
                .retryAfter())
        .isNull();
  }

  @Test
  void classifiesAnUnreadableHtmlBodyByItsStatus() {
    ProviderError error =
        OpenAiErrorMapper.fromError(
            502, headers(Map.of("Retry-After", List.of("3"))), bytes("error-bad-gateway.html"));

    assertThat(error)
        .isEqualTo(
            new ProviderError(
                Kind.UNAVAILABLE,
                502,
                "the provider answered HTTP 502",
                Duration.ofSeconds(3),
                true));
  }

  @Test
  void classifiesAnOverloadedServiceAsRetryableWithItsMessage() {
    ProviderError error =
        OpenAiErrorMapper.fromError(503, NO_HEADERS, bytes("error-overloaded.json"));

    assertThat(error)
        .isEqualTo(
            new ProviderError(
                Kind.UNAVAILABLE,
                503,
                "The engine is currently overloaded, please try again later",
                null,
                true));
  }

  @Test
  void classifiesAnEmptyBodyByItsStatus() {
    ProviderError error = OpenAiErrorMapper.fromError(401, NO_HEADERS, new byte[0]);

    assertThat(error.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(error.message()).isEqualTo("the provider answered HTTP 401");
  }
}
