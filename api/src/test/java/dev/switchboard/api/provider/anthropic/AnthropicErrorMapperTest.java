package dev.switchboard.api.provider.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.bytes;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderError.Kind;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicErrorMapperTest {

  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

  private final AnthropicErrorMapper mapper = new AnthropicErrorMapper();

  @Test
  void classifiesPromptTooLongAsContextLength() {
    ProviderError error = mapper.fromHttp(400, NO_HEADERS, bytes("error-prompt-too-long.json"));

    assertThat(error)
        .isEqualTo(
            new ProviderError(
                Kind.CONTEXT_LENGTH,
                400,
                "prompt is too long: 208310 tokens > 200000 maximum",
                null,
                false));
  }

  @Test
  void classifiesOtherInvalidRequestsAsBadRequest() {
    ProviderError error = mapper.fromHttp(400, NO_HEADERS, bytes("error-invalid-request.json"));

    assertThat(error.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(error.retryable()).isFalse();
    assertThat(error.message())
        .isEqualTo(
            "messages.1.content.0.tool_use_id: unexpected `tool_use_id` found in `tool_result`"
                + " blocks");
  }

  @Test
  void classifiesAnExceededContextLimitAsContextLength() {
    byte[] body =
        ("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"input"
                + " length and `max_tokens` exceed context limit: 197779 + 21333 > 200000\"}}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(mapper.fromHttp(400, NO_HEADERS, body).kind()).isEqualTo(Kind.CONTEXT_LENGTH);
  }

  @Test
  void treatsAnExhaustedCreditBalanceAsOurAccountsProblemSoAnotherProviderIsTried() {
    byte[] body =
        ("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your"
                + " credit balance is too low to access the Anthropic API.\"}}")
            .getBytes(StandardCharsets.UTF_8);

    ProviderError error = mapper.fromHttp(400, NO_HEADERS, body);

    assertThat(error.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void classifiesAuthenticationAndPermissionErrors() {
    assertThat(mapper.fromHttp(401, NO_HEADERS, bytes("error-authentication.json")))
        .isEqualTo(ProviderError.of(Kind.AUTHENTICATION, 401, "invalid x-api-key"));
    assertThat(mapper.fromHttp(403, NO_HEADERS, new byte[0]).kind()).isEqualTo(Kind.AUTHENTICATION);
  }

  @Test
  void classifiesNotFoundAndTooLargeAsBadRequest() {
    assertThat(mapper.fromHttp(404, NO_HEADERS, new byte[0]).kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(mapper.fromHttp(413, NO_HEADERS, new byte[0]).kind()).isEqualTo(Kind.BAD_REQUEST);
  }

  @Test
  void readsRetryAfterSecondsForRateLimits() {
    HttpHeaders headers =
        HttpHeaders.of(Map.of("retry-after", List.of("17")), (name, value) -> true);

    ProviderError error = mapper.fromHttp(429, headers, bytes("error-rate-limit.json"));

    assertThat(error.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    assertThat(error.message())
        .isEqualTo(
            "This request would exceed the rate limit for your organization of 50 input tokens per"
                + " minute.");
  }

  @Test
  void ignoresARetryAfterThatIsNotSeconds() {
    HttpHeaders headers =
        HttpHeaders.of(
            Map.of("retry-after", List.of("Wed, 21 Oct 2015 07:28:00 GMT")), (name, value) -> true);

    assertThat(mapper.fromHttp(429, headers, bytes("error-rate-limit.json")).retryAfter()).isNull();
  }

  @Test
  void classifiesOverloadedAndServerErrorsAsUnavailable() {
    assertThat(mapper.fromHttp(529, NO_HEADERS, bytes("error-overloaded.json")))
        .isEqualTo(ProviderError.of(Kind.UNAVAILABLE, 529, "Overloaded"));
    assertThat(mapper.fromHttp(500, NO_HEADERS, new byte[0]).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(mapper.fromHttp(503, NO_HEADERS, new byte[0]).kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void classifiesAnUnreadableBodyByStatusAndKeepsItsTextAsTheMessage() {
    ProviderError error =
        mapper.fromHttp(
            502, NO_HEADERS, "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));

    assertThat(error)
        .isEqualTo(ProviderError.of(Kind.UNAVAILABLE, 502, "<html>Bad Gateway</html>"));
    assertThat(mapper.fromHttp(503, NO_HEADERS, new byte[0]).message())
        .isEqualTo("HTTP 503 with an empty body");
  }

  @Test
  void classifiesStreamErrorEventsByTheirType() {
    assertThat(
            mapper.fromStreamError(
                json(
                    "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")))
        .isEqualTo(ProviderError.of(Kind.UNAVAILABLE, 529, "Overloaded"));
    assertThat(
            mapper
                .fromStreamError(
                    json(
                        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}"))
                .kind())
        .isEqualTo(Kind.RATE_LIMITED);
    assertThat(
            mapper
                .fromStreamError(
                    json(
                        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}"))
                .kind())
        .isEqualTo(Kind.UNAVAILABLE);
  }
}
