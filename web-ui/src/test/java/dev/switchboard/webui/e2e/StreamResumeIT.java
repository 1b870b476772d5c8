package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import dev.switchboard.simulator.RecordedRequest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code provider.resume}: a stream that breaks mid-answer continues on the next endpoint with the
 * answer so far as the assistant's prefill, so the client receives one whole answer; both parts are
 * billed and both providers are listed. {@code test/resume} is served alike by alpha and beta (the
 * same upstream model), so the continuation is exactly the rest of the answer alpha began.
 */
@ExtendWith(SwitchboardExtension.class)
class StreamResumeIT {

  private static final String PROMPT = "Tell me a long story about the sea.";

  private static String chat(boolean stream, boolean resume) {
    return """
        {"model":"test/resume","stream":%s,"max_tokens":60,"provider":{"resume":%s},
         "messages":[{"role":"user","content":"%s"}]}"""
        .formatted(stream, resume, PROMPT);
  }

  @Test
  void aStreamCutMidAnswerIsFinishedByTheNextEndpointAsOneWholeAnswerWithBothPartsBilled(
      ControlledSwitchboard sb) throws Exception {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().completionTokens(30).build());
    sb.faults("beta", FaultSpec.builder().completionTokens(30).build());
    JsonNode whole = Tenant.parse(post(sb, tenant, chat(false, true)).body());
    String wholeText = whole.at("/choices/0/message/content").asText();
    BigDecimal wholeCost = whole.at("/usage/cost").decimalValue();
    sb.simulator().clearRecordedRequests();
    sb.faults("alpha", FaultSpec.builder().completionTokens(30).cutAfter(8).build());

    StreamTranscript stream = StreamTranscript.of(post(sb, tenant, chat(true, true)).body());

    // one answer, whole, in order, with one start and one end, and no error
    assertThat(stream.endsWithDone()).isTrue();
    assertThat(stream.content()).isEqualTo(wholeText);
    assertThat(stream.chunks()).noneMatch(chunk -> chunk.has("error"));
    assertThat(stream.chunks().stream().filter(c -> c.at("/choices/0/delta").has("role")))
        .hasSize(1);
    assertThat(stream.last().at("/choices").size()).isZero();

    // beta was asked to go on from where alpha broke off
    List<RecordedRequest> toBeta = sb.sentTo("beta");
    assertThat(toBeta).hasSize(1);
    JsonNode continuation = Tenant.parse(toBeta.get(0).body());
    JsonNode messages = continuation.get("messages");
    JsonNode prefill = messages.get(messages.size() - 1);
    assertThat(prefill.get("role").asText()).isEqualTo("assistant");
    assertThat(wholeText).startsWith(prefill.get("content").asText());
    assertThat(prefill.get("content").asText()).isNotEmpty().isNotEqualTo(wholeText);

    // both parts billed: alpha's cut part (estimated, no usage came) and beta's reported rest
    JsonNode usage = stream.last().get("usage");
    BigDecimal cost = usage.get("cost").decimalValue();
    String id = stream.last().get("id").asText();
    JsonNode generation = tenant.getJson("/api/v1/generation?id=" + id).get("data");
    assertThat(generation.get("total_cost").decimalValue()).isEqualByComparingTo(cost);
    assertThat(generation.get("provider_name").asText()).isEqualTo("beta");
    assertThat(generation.get("tokens_completion").asLong())
        .isEqualTo(usage.get("completion_tokens").asLong())
        .isGreaterThan(30 - 8);
    JsonNode attempts = generation.get("provider_responses");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("provider_name").asText()).isEqualTo("alpha");
    assertThat(attempts.get(0).get("error").asText()).isEqualTo("connection");
    assertThat(attempts.get(1).get("provider_name").asText()).isEqualTo("beta");
    assertThat(attempts.get(1).get("status").asInt()).isEqualTo(200);
    // dearer than the whole answer from alpha alone: beta's price, and the prompt twice
    assertThat(cost).isGreaterThan(wholeCost);
    assertThat(tenant.totalUsage()).isEqualByComparingTo(wholeCost.add(cost));
  }

  @Test
  void withoutResumeTheSameCutIsAnInBandErrorAtNoCost(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().completionTokens(30).cutAfter(8).build());

    StreamTranscript stream = StreamTranscript.of(post(sb, tenant, chat(true, false)).body());

    assertThat(stream.endsWithDone()).isFalse();
    assertThat(stream.last().at("/choices/0/finish_reason").asText()).isEqualTo("error");
    assertThat(sb.sentTo("beta")).isEmpty();
    assertThat(tenant.totalUsage()).isZero();
  }

  @Test
  void whenTheContinuationFailsTooTheAnswerEndsInBandAndCostsNothing(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().completionTokens(30).cutAfter(8).build());
    sb.faults("beta", FaultSpec.builder().status(503).build());

    StreamTranscript stream = StreamTranscript.of(post(sb, tenant, chat(true, true)).body());

    assertThat(stream.endsWithDone()).isFalse();
    assertThat(stream.last().at("/choices/0/finish_reason").asText()).isEqualTo("error");
    assertThat(sb.sentTo("beta")).hasSize(1);
    // zero-completion insurance: an answer that failed costs nothing, both parts included
    assertThat(stream.last().at("/usage/cost").decimalValue()).isZero();
    assertThat(tenant.totalUsage()).isZero();
  }

  private static HttpResponse<String> post(ControlledSwitchboard sb, Tenant tenant, String body) {
    return sb.switchboard()
        .post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of());
  }
}
