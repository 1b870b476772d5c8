package dev.switchboard.webui.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * A chat answer that arrived whole, a 200 with its body or a stream ending in {@code [DONE]}: its
 * generation id and its usage, read exactly (for the crash tests, which compare each answer's cost
 * with what was billed).
 */
record WholeAnswer(String id, JsonNode usage) {

  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  /** The answer when it is whole; empty when it was cut or failed. */
  static Optional<WholeAnswer> of(HttpResponse<String> response, boolean stream) {
    if (response.statusCode() != 200) {
      return Optional.empty();
    }
    JsonNode answer;
    if (stream) {
      StreamTranscript transcript = StreamTranscript.of(response.body());
      if (!transcript.endsWithDone()) {
        return Optional.empty();
      }
      // the usage chunk, read exactly (the transcript's own parsing reads numbers as doubles)
      answer = ExactJson.parse(transcript.data().get(transcript.data().size() - 2));
    } else {
      answer = ExactJson.parse(response.body());
    }
    return Optional.of(new WholeAnswer(answer.path("id").asText(), answer.path("usage")));
  }

  /** Whether it names its generation and says what it cost. */
  boolean billed() {
    return usage.path("cost").isNumber() && id.startsWith("gen-");
  }

  /** Its {@code usage.cost} in nano-USD. */
  long costNanos() {
    return usage.path("cost").decimalValue().multiply(NANOS_PER_USD).longValueExact();
  }
}
