package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/**
 * The contract's error answer: the status, {@code {"error":{"code":<status>,"message":"…"}}} with a
 * message someone can act on, and nothing of the server's insides (no exception names, no stack
 * frames).
 */
final class ErrorShape {

  private ErrorShape() {}

  /**
   * Asserts the answer is the error shape with {@code status}, and returns its {@code error}
   * object.
   */
  static JsonNode assertError(HttpResponse<String> response, int status) {
    return assertError(response, status, "");
  }

  static JsonNode assertError(HttpResponse<String> response, int status, String what) {
    String body = response.body();
    String description = what + " → " + response.statusCode() + " " + ExactJson.abbreviate(body);
    assertThat(response.statusCode()).as(description).isEqualTo(status);
    assertThat(body)
        .as(description)
        .doesNotContain("Exception")
        .doesNotContain("at dev.")
        .doesNotContain("at java.");
    JsonNode error = ExactJson.parse(body).path("error");
    assertThat(error.isObject()).as(description + ": an 'error' object").isTrue();
    assertThat(error.path("code").isIntegralNumber())
        .as(description + ": error.code is a number")
        .isTrue();
    assertThat(error.path("code").asInt()).as(description + ": error.code").isEqualTo(status);
    assertThat(error.path("message").isTextual()).as(description + ": error.message").isTrue();
    assertThat(error.path("message").asText()).as(description + ": error.message").isNotBlank();
    return error;
  }
}
