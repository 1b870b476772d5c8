package dev.switchboard.api.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class AttemptOutputTest {

  private static ObjectNode chunk(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String OPENING =
      "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}";

  private static String content(String text) {
    return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
  }

  @Test
  void aRoleOnlyOpeningCarriesNoOutputAndTheFirstTokenIsTheFirstContent() {
    AttemptOutput output = new AttemptOutput(true);

    assertThat(output.tally(chunk(OPENING))).isFalse();
    assertThat(output.firstTokenNanos()).isZero();
    assertThat(output.tally(chunk(content("Hello")))).isTrue();
    assertThat(output.firstTokenNanos()).isPositive();
  }

  @Test
  void theTextRelayedIsKeptForAResumeUnlessAToolCallWasBegun() {
    AttemptOutput output = new AttemptOutput(true);
    output.relayed(chunk(content("Once")));
    output.relayed(chunk(content(" upon")));
    assertThat(output.relayedTextOnly()).isEqualTo("Once upon");
    assertThat(output.relayedAny()).isTrue();

    output.relayed(
        chunk(
            "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\"}}]}}]}"));
    assertThat(output.relayedTextOnly()).isNull();

    output.reset();
    assertThat(output.relayedTextOnly()).isEmpty();
    assertThat(output.relayedAny()).isFalse();
  }

  @Test
  void anAnswerHasEndedOnlyWithAFinishReasonOrItsEndMarker() {
    AttemptOutput output = new AttemptOutput(false);
    output.tally(chunk(content("Hi")));
    assertThat(output.ended()).isFalse();

    output.tally(chunk("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"));
    assertThat(output.ended()).isTrue();
    assertThat(output.finishReason()).isEqualTo("stop");
    assertThat(output.failed()).isFalse();

    output.failedInBand();
    assertThat(output.failed()).isTrue();
  }

  @Test
  void withoutTheProvidersUsageTheTokensAreEstimatedFromWhatCame() {
    AttemptOutput output = new AttemptOutput(false);
    output.tally(chunk(content("abcdefgh")));

    UsageAccounting.Measured measured = output.measured(12);

    assertThat(measured.estimated()).isTrue();
    assertThat(measured.usage().promptTokens()).isEqualTo(12);
    assertThat(measured.usage().completionTokens()).isEqualTo(2);
  }

  @Test
  void heldBackChunksAreGivenOnceInOrder() {
    AttemptOutput output = new AttemptOutput(false);
    ObjectNode first = chunk(OPENING);
    output.holdBack(first);

    assertThat(output.takeHeldBack()).containsExactly(first);
    assertThat(output.takeHeldBack()).isEmpty();
  }
}
