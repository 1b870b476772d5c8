package dev.switchboard.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

  @Test
  void theAnthropicShapeCarriesAnthropicsTypeAndStillTheCodeAndMessage() {
    JsonNode body =
        ErrorBody.anthropic(
            new ApiException(402, "Insufficient credits", Map.of("available", "0.00")));

    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("billing_error");
    assertThat(body.at("/error/message").asText()).isEqualTo("Insufficient credits");
    assertThat(body.at("/error/code").asInt()).isEqualTo(402);
    assertThat(body.at("/error/metadata/available").asText()).isEqualTo("0.00");
  }

  @Test
  void eachStatusHasAnthropicsErrorType() {
    assertThat(ErrorBody.anthropicType(400)).isEqualTo("invalid_request_error");
    assertThat(ErrorBody.anthropicType(401)).isEqualTo("authentication_error");
    assertThat(ErrorBody.anthropicType(403)).isEqualTo("permission_error");
    assertThat(ErrorBody.anthropicType(404)).isEqualTo("not_found_error");
    assertThat(ErrorBody.anthropicType(413)).isEqualTo("request_too_large");
    assertThat(ErrorBody.anthropicType(429)).isEqualTo("rate_limit_error");
    assertThat(ErrorBody.anthropicType(502)).isEqualTo("api_error");
    assertThat(ErrorBody.anthropicType(503)).isEqualTo("overloaded_error");
    assertThat(ErrorBody.anthropicType(504)).isEqualTo("timeout_error");
  }
}
