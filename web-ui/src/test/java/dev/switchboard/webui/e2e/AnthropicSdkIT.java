package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.PaymentRequiredException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official Anthropic Java SDK, unchanged, against {@code /messages} of the built jar: answers
 * and streams come back as messages and Anthropic's events, and refusals as the SDK's own error
 * types (its error shape, with Anthropic's error type), not as unreadable bodies.
 */
@ExtendWith(SwitchboardExtension.class)
class AnthropicSdkIT {

  private static final String MODEL = "anthropic/claude-3.5-haiku";

  private static AnthropicClient sdk(RunningSwitchboard switchboard, String key) {
    String apiBase = switchboard.apiBase();
    return AnthropicOkHttpClient.builder()
        // the SDK appends /v1/messages
        .baseUrl(apiBase.substring(0, apiBase.length() - "/v1".length()))
        .authToken(key)
        .maxRetries(0)
        .build();
  }

  private static MessageCreateParams ask(String model, long maxTokens) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(maxTokens)
        .addUserMessage("Name three rivers of Europe.")
        .build();
  }

  @Test
  void aMessageAndAStreamOfItsEventsComeBackAsTheSdkReadsThem(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "5.00");
    AnthropicClient sdk = sdk(switchboard, tenant.managementKey());

    Message message = sdk.messages().create(ask(MODEL, 40));
    String text =
        message.content().stream()
            .flatMap(block -> block.text().stream())
            .map(TextBlock::text)
            .collect(Collectors.joining());
    StringBuilder streamed = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream =
        sdk.messages().createStreaming(ask(MODEL, 40))) {
      stream.stream()
          .forEach(
              event ->
                  event
                      .contentBlockDelta()
                      .flatMap(delta -> delta.delta().text())
                      .ifPresent(delta -> streamed.append(delta.text())));
    }

    assertThat(text).isNotBlank();
    assertThat(message.usage().outputTokens()).isPositive();
    assertThat(streamed.toString()).isEqualTo(text);
  }

  @Test
  void refusalsAreTheSdksOwnErrorTypesWithOurMessages(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "5.00");

    BadRequestException unknownModel =
        catchThrowableOfType(
            BadRequestException.class,
            () -> sdk(switchboard, tenant.managementKey()).messages().create(ask("acme/nope", 40)));
    UnauthorizedException wrongKey =
        catchThrowableOfType(
            UnauthorizedException.class,
            () -> sdk(switchboard, "sk-sb-v1-" + "0".repeat(64)).messages().create(ask(MODEL, 40)));
    Tenant broke = Tenant.withCredits(switchboard, "0");
    PaymentRequiredException noCredits =
        catchThrowableOfType(
            PaymentRequiredException.class,
            () -> sdk(switchboard, broke.managementKey()).messages().create(ask(MODEL, 40)));

    assertError(unknownModel, 400, ErrorType.INVALID_REQUEST_ERROR, "acme/nope");
    assertError(wrongKey, 401, ErrorType.AUTHENTICATION_ERROR, "");
    assertError(noCredits, 402, ErrorType.BILLING_ERROR, "");
  }

  private static void assertError(
      AnthropicServiceException error, int status, ErrorType type, String mentions) {
    assertThat(error).as("the SDK raised its own error type for " + status).isNotNull();
    assertThat(error.statusCode()).isEqualTo(status);
    assertThat(error.errorType()).as(error.body().toString()).contains(type);
    assertThat(error.apiMessage()).isPresent();
    assertThat(error.apiMessage().get()).isNotBlank().contains(mentions);
  }
}
