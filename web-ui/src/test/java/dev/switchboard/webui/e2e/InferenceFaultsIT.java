package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What users of peer gateways got wrong, driven through the built jar against providers that fail
 * on purpose: failover before the first token, in-band errors after it (never a truncated answer
 * passed off as complete), stalls, disconnects billed for what was produced, and no upstream call
 * without the money.
 */
@ExtendWith(SwitchboardExtension.class)
class InferenceFaultsIT {

  private static String chat(String model, boolean stream, int maxTokens) {
    return """
        {"model":"%s","stream":%s,"max_tokens":%d,
         "messages":[{"role":"user","content":"Tell me about the sea."}]}"""
        .formatted(model, stream, maxTokens);
  }

  @Test
  void aFailingCheapProviderFailsOverSilentlyAndTheAnsweringOneIsBilled(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(503).failNextRequests(2).build());

    // two conversations: otherwise the second would go to beta first (sticky routing)
    Timed plainTimed = timedPost(sb, tenant, inSession("plain", chat("test/failover", false, 20)));
    Timed streamedTimed =
        timedPost(sb, tenant, inSession("streamed", chat("test/failover", true, 20)));
    HttpResponse<String> plain = plainTimed.response();
    HttpResponse<String> streamed = streamedTimed.response();

    // a 503 moves on at once, far from the first-byte timeout (5 s here)
    assertThat(plainTimed.took()).isLessThan(PROMPTLY);
    assertThat(streamedTimed.took()).isLessThan(PROMPTLY);
    assertThat(plain.statusCode()).isEqualTo(200);
    JsonNode answer = Tenant.parse(plain.body());
    assertThat(answer.get("provider").asText()).isEqualTo("Beta");
    assertThat(streamed.statusCode()).isEqualTo(200);
    StreamTranscript transcript = StreamTranscript.of(streamed.body());
    assertThat(transcript.endsWithDone()).isTrue();
    assertThat(transcript.content()).isEqualTo(answer.at("/choices/0/message/content").asText());
    assertThat(sb.sentTo("alpha")).hasSize(2);
    assertThat(sb.sentTo("beta")).hasSize(2);

    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
    assertThat(generation.get("provider_name").asText()).isEqualTo("beta");
    // beta's price: 3 and 4 USD per million tokens
    BigDecimal expected =
        new BigDecimal(
                generation.get("tokens_prompt").asLong() * 3
                    + generation.get("tokens_completion").asLong() * 4)
            .movePointLeft(6);
    assertThat(generation.get("total_cost").decimalValue()).isEqualByComparingTo(expected);
    BigDecimal streamCost = transcript.last().at("/usage/cost").decimalValue();
    assertThat(tenant.totalUsage()).isEqualByComparingTo(expected.add(streamCost));
    JsonNode attempts = generation.get("provider_responses");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("provider_name").asText()).isEqualTo("alpha");
    assertThat(attempts.get(0).get("status").asInt()).isEqualTo(503);
    assertThat(attempts.get(0).get("error").asText()).isEqualTo("unavailable");
    assertThat(attempts.get(1).get("provider_name").asText()).isEqualTo("beta");
    assertThat(attempts.get(1).get("status").asInt()).isEqualTo(200);
    assertThat(attempts.get(1).get("error").isNull()).isTrue();
  }

  @Test
  void aRateLimitedOnlyProviderIsTriedAgainAfterItsRetryAfterAndOnlyTheAnswerIsBilled(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults(
        "alpha", FaultSpec.builder().status(429).retryAfterSeconds(1).failNextRequests(1).build());

    long start = System.nanoTime();
    HttpResponse<String> response = post(sb, tenant, chat("test/alpha", false, 20));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    // waited for the Retry-After (1 s), and not much longer
    assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(1).plus(PROMPTLY));
    assertThat(sb.sentTo("alpha")).hasSize(2);
    JsonNode answer = Tenant.parse(response.body());
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
    JsonNode attempts = generation.get("provider_responses");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("status").asInt()).isEqualTo(429);
    assertThat(attempts.get(0).get("error").asText()).isEqualTo("rate_limited");
    assertThat(attempts.get(1).get("status").asInt()).isEqualTo(200);
    BigDecimal cost = answer.at("/usage/cost").decimalValue();
    assertThat(generation.get("total_cost").decimalValue()).isEqualByComparingTo(cost);
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(cost));
  }

  @Test
  void aModelsFallbackInAnotherWireFormatAnswersAtItsOwnPriceWhenTheFirstModelFails(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(503).build());

    for (boolean stream : new boolean[] {false, true}) {
      String body =
          chat("test/alpha", stream, 20)
              .replaceFirst("\\{", "{\"models\":[\"test/claude\",\"test/gemini\"],");
      Timed timed = timedPost(sb, tenant, body);
      HttpResponse<String> response = timed.response();

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(timed.took()).isLessThan(PROMPTLY);
      JsonNode answer =
          stream ? StreamTranscript.of(response.body()).last() : Tenant.parse(response.body());
      if (stream) {
        assertThat(StreamTranscript.of(response.body()).endsWithDone()).isTrue();
        assertThat(StreamTranscript.of(response.body()).content()).isNotEmpty();
      } else {
        assertThat(answer.at("/choices/0/message/content").asText()).isNotEmpty();
      }
      assertThat(answer.get("model").asText()).isEqualTo("test/claude");
      JsonNode generation =
          tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
      assertThat(generation.get("provider_name").asText()).isEqualTo("gamma");
      // test/claude's price: 3 and 15 USD per million tokens
      BigDecimal expected =
          new BigDecimal(
                  generation.get("tokens_prompt").asLong() * 3
                      + generation.get("tokens_completion").asLong() * 15)
              .movePointLeft(6);
      assertThat(answer.at("/usage/cost").decimalValue()).isEqualByComparingTo(expected);
      assertThat(generation.at("/provider_responses/0/model_permaslug").asText())
          .isEqualTo("test/alpha");
      assertThat(generation.at("/provider_responses/1/provider_name").asText()).isEqualTo("gamma");
    }
    assertThat(sb.sentTo("delta")).isEmpty();
  }

  @Test
  void aSilentProviderIsLeftAtTheFirstByteTimeoutForTheNextAtNoCost(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // the instance waits 5 s for a provider's first byte (ControlledSwitchboard)
    sb.faults("alpha", FaultSpec.builder().delayMs(8_000).build());

    long start = System.nanoTime();
    HttpResponse<String> response =
        post(sb, tenant, inSession("silent", chat("test/failover", false, 20)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(took).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(8));
    JsonNode answer = Tenant.parse(response.body());
    assertThat(answer.get("provider").asText()).isEqualTo("Beta");
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
    assertThat(generation.at("/provider_responses/0/error").asText()).isEqualTo("timeout");
    assertThat(generation.at("/provider_responses/0/status").isNull()).isTrue();
    assertThat(generation.at("/provider_responses/0/latency").asLong()).isBetween(5_000L, 8_000L);
    BigDecimal cost = answer.at("/usage/cost").decimalValue();
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(cost));
  }

  @Test
  void aRequestTheProviderRejectsIsNotRetriedElsewhere(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(400).build());

    Timed timed = timedPost(sb, tenant, chat("test/failover", false, 20));
    HttpResponse<String> response = timed.response();

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(timed.took()).isLessThan(PROMPTLY);
    assertThat(Tenant.parse(response.body()).at("/error/code").asInt()).isEqualTo(400);
    assertThat(sb.sentTo("beta")).isEmpty();
    assertThat(tenant.totalUsage()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void whenEveryProviderFailsTheClientGetsTheStatusAndRetryAfterAndPaysNothing(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // a wait past the request's deadline (180 s) is not made: the client is told at once
    sb.faults("alpha", FaultSpec.builder().status(429).retryAfterSeconds(600).build());

    Timed timed = timedPost(sb, tenant, chat("test/alpha", false, 20));
    HttpResponse<String> response = timed.response();

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(timed.took()).isLessThan(PROMPTLY);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("600");
    assertThat(sb.sentTo("alpha")).hasSize(1);
    assertThat(Tenant.parse(response.body()).at("/error/message").asText()).startsWith("Alpha:");
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");
  }

  /**
   * A provider that drops the connection without answering (a reset) is left for the next at once,
   * streamed or not: the client gets the next provider's whole answer and nothing of the reset, the
   * answering endpoint alone is billed, at its price, and the dropped attempt, which cost nothing,
   * is listed in {@code provider_responses}.
   */
  @Test
  void aConnectionResetBeforeAnyAnswerFailsOverSilentlyStreamedOrNot(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().reset(true).build());
    sb.faults("beta", FaultSpec.builder().completionTokens(12).build());

    // two conversations: otherwise the second would go to beta first (sticky routing)
    Timed plainTimed =
        timedPost(sb, tenant, inSession("reset-plain", chat("test/unsteady", false, 20)));
    Timed streamedTimed =
        timedPost(sb, tenant, inSession("reset-streamed", chat("test/unsteady", true, 20)));

    assertThat(plainTimed.took()).isLessThan(PROMPTLY);
    assertThat(streamedTimed.took()).isLessThan(PROMPTLY);
    HttpResponse<String> plain = plainTimed.response();
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    JsonNode answer = Tenant.parse(plain.body());
    assertThat(answer.get("provider").asText()).isEqualTo("Beta");
    assertThat(answer.at("/usage/completion_tokens").asLong()).isEqualTo(12);
    HttpResponse<String> streamed = streamedTimed.response();
    assertThat(streamed.statusCode()).isEqualTo(200);
    StreamTranscript transcript = StreamTranscript.of(streamed.body());
    assertThat(transcript.endsWithDone()).isTrue();
    assertThat(transcript.chunks()).noneMatch(chunk -> chunk.has("error"));
    assertThat(transcript.chunks())
        .allMatch(chunk -> chunk.get("provider").asText().equals("Beta"));
    assertThat(transcript.content())
        .isNotEmpty()
        .isEqualTo(answer.at("/choices/0/message/content").asText());
    assertThat(sb.sentTo("alpha")).hasSize(2);
    assertThat(sb.sentTo("beta")).hasSize(2);

    BigDecimal billed = BigDecimal.ZERO;
    for (JsonNode answered : List.of(answer, transcript.last())) {
      JsonNode generation =
          tenant.getJson("/api/v1/generation?id=" + answered.get("id").asText()).get("data");
      assertThat(generation.get("provider_name").asText()).isEqualTo("beta");
      // beta's price: 3 and 4 USD per million tokens
      assertThat(generation.get("total_cost").decimalValue())
          .isPositive()
          .isEqualByComparingTo(listPrice(generation, 3, 4))
          .isEqualByComparingTo(answered.at("/usage/cost").decimalValue());
      JsonNode attempts = generation.get("provider_responses");
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(0).get("provider_name").asText()).isEqualTo("alpha");
      assertThat(attempts.get(0).get("status").isNull()).as("no answer, no status").isTrue();
      assertThat(attempts.get(0).get("error").asText()).isEqualTo("connection");
      assertThat(attempts.get(1).get("provider_name").asText()).isEqualTo("beta");
      assertThat(attempts.get(1).get("status").asInt()).isEqualTo(200);
      billed = billed.add(generation.get("total_cost").decimalValue());
    }
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(billed));
  }

  /**
   * A 429 without {@code Retry-After} from the only provider is the answer, at once: the client
   * gets the 429 in our error shape naming the provider, the provider is not asked again (it did
   * not say when it could answer), and nothing is billed.
   */
  @Test
  void aRateLimitWithoutRetryAfterAtTheOnlyProviderIsReturnedAtOnceForNothing(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(429).build());

    Timed timed = timedPost(sb, tenant, chat("test/alpha", false, 20));

    JsonNode error = ErrorShape.assertError(timed.response(), 429, "a 429 without Retry-After");
    assertThat(timed.took()).isLessThan(PROMPTLY);
    assertThat(error.get("message").asText()).startsWith("Alpha:");
    assertThat(error.at("/metadata/provider_name").asText()).isEqualTo("Alpha");
    assertThat(error.at("/metadata/upstream_status").asInt()).isEqualTo(429);
    assertThat(sb.sentTo("alpha")).hasSize(1);
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");
    assertThat(tenant.totalUsage()).isZero();
  }

  /**
   * A 429 without {@code Retry-After} from the first of two providers moves on to the second at
   * once, which alone is billed.
   */
  @Test
  void aRateLimitWithoutRetryAfterFailsOverToTheNextProvider(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(429).build());

    Timed timed = timedPost(sb, tenant, chat("test/unsteady", false, 20));

    HttpResponse<String> response = timed.response();
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(timed.took()).isLessThan(PROMPTLY);
    JsonNode answer = Tenant.parse(response.body());
    assertThat(answer.get("provider").asText()).isEqualTo("Beta");
    assertThat(answer.at("/choices/0/message/content").asText()).isNotEmpty();
    assertThat(sb.sentTo("alpha")).hasSize(1);
    assertThat(sb.sentTo("beta")).hasSize(1);
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
    assertThat(generation.get("provider_name").asText()).isEqualTo("beta");
    assertThat(generation.get("total_cost").decimalValue())
        .isPositive()
        .isEqualByComparingTo(listPrice(generation, 3, 4));
    JsonNode attempts = generation.get("provider_responses");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("status").asInt()).isEqualTo(429);
    assertThat(attempts.get(0).get("error").asText()).isEqualTo("rate_limited");
    assertThat(attempts.get(1).get("provider_name").asText()).isEqualTo("beta");
    assertThat(tenant.balance())
        .isEqualByComparingTo(
            new BigDecimal("1.00").subtract(generation.get("total_cost").decimalValue()));
  }

  /**
   * Every provider of the model answers a 5xx (503, 502, then 500 from one in Anthropic's wire
   * format): the client gets a 502 at once, in our error shape, naming the provider that failed
   * last and what it said, with no upstream address; nothing is billed, and the worst case reserved
   * for the request is released, so the same request fits the credits again.
   */
  @Test
  void whenEveryProviderIsDownTheClientGetsA502AtOnceAndNothingStaysHeld(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().status(503).build());
    sb.faults("beta", FaultSpec.builder().status(502).build());
    sb.faults("gamma", FaultSpec.builder().status(500).build());
    // up to 6,000 tokens at up to $120 a million: a worst case above $0.72, which $1 holds once
    String longAnswer = chat("test/down", false, 6_000);

    Timed timed = timedPost(sb, tenant, longAnswer);

    JsonNode error = ErrorShape.assertError(timed.response(), 502, "every provider down");
    assertThat(timed.took()).isLessThan(PROMPTLY);
    assertThat(error.get("message").asText())
        .isEqualTo("Gamma: Simulated failure with status 500")
        .doesNotContain("http")
        .doesNotContain("127.0.0.1");
    assertThat(error.at("/metadata/provider_name").asText()).isEqualTo("Gamma");
    assertThat(error.at("/metadata/upstream_status").asInt()).isEqualTo(500);
    for (String provider : List.of("alpha", "beta", "gamma")) {
      assertThat(sb.sentTo(provider)).as(provider).hasSize(1);
    }
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");
    assertThat(tenant.totalUsage()).isZero();

    // nothing stays held: were the first worst case still reserved, this one would be refused
    sb.reset();
    sb.faults("alpha", FaultSpec.builder().completionTokens(10).build());
    HttpResponse<String> again = post(sb, tenant, longAnswer);

    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    JsonNode answer = Tenant.parse(again.body());
    assertThat(answer.get("provider").asText()).isEqualTo("Alpha");
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
    // test/down at alpha: 10 and 100 USD per million tokens
    assertThat(generation.get("total_cost").decimalValue())
        .isPositive()
        .isEqualByComparingTo(listPrice(generation, 10, 100));
    assertThat(tenant.balance())
        .isEqualByComparingTo(
            new BigDecimal("1.00").subtract(generation.get("total_cost").decimalValue()));
  }

  @Test
  void aStreamCutAfterTheFirstTokensEndsWithAnInBandErrorWithItsUsageAndCostsNothing(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().cutAfter(3).build());

    HttpResponse<String> response = post(sb, tenant, chat("test/alpha", true, 30));

    assertThat(response.statusCode()).isEqualTo(200);
    StreamTranscript transcript = StreamTranscript.of(response.body());
    assertThat(transcript.endsWithDone()).as("a cut answer must not end cleanly").isFalse();
    JsonNode error = transcript.last();
    assertThat(error.at("/error/message").asText()).contains("Alpha");
    assertThat(error.at("/choices/0/finish_reason").asText()).isEqualTo("error");
    assertThat(transcript.content()).isNotEmpty();
    assertThat(error.at("/usage/completion_tokens").asLong()).isPositive();
    assertThat(error.at("/usage/cost").decimalValue()).isZero();

    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + error.get("id").asText()).get("data");
    assertThat(generation.get("finish_reason").asText()).isEqualTo("error");
    assertThat(generation.get("tokens_completion").asLong())
        .isEqualTo(error.at("/usage/completion_tokens").asLong());
    // zero-completion insurance: the provider's list price is the platform's loss
    assertThat(generation.get("upstream_inference_cost").decimalValue()).isPositive();
    assertThat(generation.get("total_cost").decimalValue()).isZero();
    assertThat(tenant.totalUsage()).isZero();
  }

  /**
   * A stream cut at 40% and at 60% of its answer: what reached the client is exactly the answer's
   * first chunks (the simulator answers a prompt alike each time), then an in-band error, never
   * {@code [DONE]}, at no cost.
   */
  @ParameterizedTest
  @ValueSource(ints = {8, 12})
  void aStreamCutPartWayRelaysAnIntactPrefixOfTheAnswer(int cutAfter, ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().completionTokens(20).build());
    String whole =
        Tenant.parse(post(sb, tenant, chat("test/alpha", false, 30)).body())
            .at("/choices/0/message/content")
            .asText();
    sb.faults("alpha", FaultSpec.builder().completionTokens(20).cutAfter(cutAfter).build());

    StreamTranscript cut =
        StreamTranscript.of(post(sb, tenant, chat("test/alpha", true, 30)).body());

    assertThat(cut.endsWithDone()).isFalse();
    assertThat(cut.last().at("/choices/0/finish_reason").asText()).isEqualTo("error");
    assertThat(whole).startsWith(cut.content());
    assertThat(cut.content().length()).isPositive().isLessThan(whole.length());
    assertThat(cut.last().at("/usage/cost").decimalValue()).isZero();
  }

  /**
   * A stream that ends after its finish reason and usage but without its end marker (OpenAI's
   * {@code [DONE]}, Anthropic's {@code message_stop}) carried a whole answer: the client gets all
   * of it (the same text as the answer not streamed), the usage chunk and our own {@code [DONE]},
   * and pays the list price exactly.
   */
  @ParameterizedTest
  @ValueSource(strings = {"test/alpha", "test/claude"})
  void aStreamEndingWithItsFinishReasonButNoEndMarkerIsAWholeAnswer(
      String model, ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // 12 tokens, under max_tokens: the answer stops on its own
    FaultSpec noEndMarker = FaultSpec.builder().noDone(true).completionTokens(12).build();
    sb.faults("alpha", noEndMarker);
    sb.faults("gamma", noEndMarker);
    JsonNode whole = Tenant.parse(post(sb, tenant, chat(model, false, 30)).body());

    HttpResponse<String> response = post(sb, tenant, chat(model, true, 30));

    assertThat(response.statusCode()).isEqualTo(200);
    StreamTranscript transcript = StreamTranscript.of(response.body());
    assertThat(transcript.endsWithDone()).isTrue();
    assertThat(transcript.chunks()).noneMatch(chunk -> chunk.has("error"));
    assertThat(transcript.content())
        .isNotEmpty()
        .isEqualTo(whole.at("/choices/0/message/content").asText());
    JsonNode usageChunk = transcript.last();
    assertThat(usageChunk.get("choices")).isEmpty();
    JsonNode usage = usageChunk.get("usage");
    assertThat(usage.get("completion_tokens").asLong())
        .isEqualTo(whole.at("/usage/completion_tokens").asLong())
        .isEqualTo(12);
    // test/alpha: 1 and 2 USD per million tokens; test/claude: 3 and 15
    long[] perMillion = model.equals("test/alpha") ? new long[] {1, 2} : new long[] {3, 15};
    BigDecimal listPrice =
        new BigDecimal(
                usage.get("prompt_tokens").asLong() * perMillion[0]
                    + usage.get("completion_tokens").asLong() * perMillion[1])
            .movePointLeft(6);
    assertThat(usage.get("cost").decimalValue()).isPositive().isEqualByComparingTo(listPrice);
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + usageChunk.get("id").asText()).get("data");
    assertThat(generation.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(generation.get("total_cost").decimalValue()).isEqualByComparingTo(listPrice);
    assertThat(tenant.totalUsage())
        .isEqualByComparingTo(listPrice.add(whole.at("/usage/cost").decimalValue()));
  }

  /**
   * A stream whose response ends properly (unlike a cut's, whose body is left unterminated) but
   * with neither a finish reason nor {@code [DONE]} was truncated all the same: an in-band error,
   * no {@code [DONE]}, at no cost.
   */
  @Test
  void aStreamEndingCleanlyWithoutAFinishReasonOrDoneIsReportedAsCut(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().completionTokens(20).endAfter(5).build());

    HttpResponse<String> response = post(sb, tenant, chat("test/alpha", true, 30));

    assertThat(response.statusCode()).isEqualTo(200);
    StreamTranscript transcript = StreamTranscript.of(response.body());
    assertThat(transcript.endsWithDone()).as("a truncated answer must not end cleanly").isFalse();
    assertThat(transcript.content()).isNotEmpty();
    JsonNode error = transcript.last();
    assertThat(error.at("/error/message").asText()).startsWith("Alpha:");
    assertThat(error.at("/choices/0/finish_reason").asText()).isEqualTo("error");
    assertThat(error.at("/usage/completion_tokens").asLong()).isBetween(1L, 19L);
    assertThat(error.at("/usage/cost").decimalValue()).isZero();
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + error.get("id").asText()).get("data");
    assertThat(generation.get("finish_reason").asText()).isEqualTo("error");
    assertThat(generation.get("total_cost").decimalValue()).isZero();
    assertThat(tenant.totalUsage()).isZero();
  }

  /**
   * A provider that fails every other request (alpha, the cheaper, so tried first each time): every
   * request is answered, promptly, by alpha or after a failover by beta; each is billed once at the
   * price of the endpoint that answered, the generations add up to the balance's drop to the
   * nano-dollar, and the failed attempts are listed in {@code provider_responses}.
   */
  @Test
  void aFlappingProviderNeverFailsARequestAndOnlyTheAnsweringEndpointIsBilled(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // alpha's 2nd, 4th, 6th... requests fail. Alternate failures never make five in a row, and
    // alpha's failure rate reaches its breaker's threshold (half of 20 in a minute) only with the
    // last request's failure, if at all: so alpha stays first for every request of this test
    sb.faults("alpha", FaultSpec.builder().status(502).failEvery(2).build());

    BigDecimal billed = BigDecimal.ZERO;
    int requests = 20;
    for (int i = 0; i < requests; i++) {
      boolean stream = (i / 2) % 2 == 1; // two plain, two streamed, ...: each fails over once
      // a conversation each: sticky routing would send the next to beta first
      Timed timed =
          timedPost(sb, tenant, inSession("flap-" + i, chat("test/flapping", stream, 10)));
      HttpResponse<String> response = timed.response();

      boolean alphaFailed = i % 2 == 1;
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(timed.took()).as("request %d", i).isLessThan(PROMPTLY);
      JsonNode answer;
      if (stream) {
        StreamTranscript transcript = StreamTranscript.of(response.body());
        assertThat(transcript.endsWithDone()).isTrue();
        assertThat(transcript.chunks()).noneMatch(chunk -> chunk.has("error"));
        assertThat(transcript.content()).isNotEmpty();
        answer = transcript.last();
      } else {
        answer = Tenant.parse(response.body());
        assertThat(answer.at("/choices/0/message/content").asText()).isNotEmpty();
      }
      assertThat(answer.get("provider").asText()).isEqualTo(alphaFailed ? "Beta" : "Alpha");
      JsonNode generation =
          tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
      assertThat(generation.get("provider_name").asText())
          .isEqualTo(alphaFailed ? "beta" : "alpha");
      // alpha: 1 and 2 USD per million tokens; beta: 3 and 4
      long[] perMillion = alphaFailed ? new long[] {3, 4} : new long[] {1, 2};
      BigDecimal price =
          new BigDecimal(
                  generation.get("tokens_prompt").asLong() * perMillion[0]
                      + generation.get("tokens_completion").asLong() * perMillion[1])
              .movePointLeft(6);
      assertThat(generation.get("total_cost").decimalValue())
          .isPositive()
          .isEqualByComparingTo(price)
          .isEqualByComparingTo(answer.at("/usage/cost").decimalValue());
      JsonNode attempts = generation.get("provider_responses");
      if (alphaFailed) {
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("provider_name").asText()).isEqualTo("alpha");
        assertThat(attempts.get(0).get("status").asInt()).isEqualTo(502);
        assertThat(attempts.get(1).get("provider_name").asText()).isEqualTo("beta");
        assertThat(attempts.get(1).get("status").asInt()).isEqualTo(200);
      } else {
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("provider_name").asText()).isEqualTo("alpha");
        assertThat(attempts.get(0).get("status").asInt()).isEqualTo(200);
      }
      billed = billed.add(generation.get("total_cost").decimalValue());
    }

    assertThat(sb.sentTo("alpha")).hasSize(requests);
    assertThat(sb.sentTo("beta")).hasSize(requests / 2);
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(billed));
  }

  @Test
  void anAnswerWithoutOutputTokensCostsNothing(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().completionTokens(0).build());

    HttpResponse<String> response = post(sb, tenant, chat("test/alpha", false, 30));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode usage = Tenant.parse(response.body()).get("usage");
    assertThat(usage.get("completion_tokens").asLong()).isZero();
    assertThat(usage.get("prompt_tokens").asLong()).isPositive();
    assertThat(usage.get("cost").decimalValue()).isZero();
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");
  }

  @Test
  void aFailureBeforeTheFirstTokenOfAStreamFailsOverSilently(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().cutAfter(0).build());

    Timed timed = timedPost(sb, tenant, chat("test/failover", true, 10));

    assertThat(timed.took()).isLessThan(PROMPTLY);
    StreamTranscript transcript = StreamTranscript.of(timed.response().body());
    assertThat(transcript.endsWithDone()).isTrue();
    assertThat(transcript.chunks()).noneMatch(chunk -> chunk.has("error"));
    assertThat(transcript.last().get("provider").asText()).isEqualTo("Beta");
  }

  @Test
  void aStalledStreamIsDetectedAndReportedInBand(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().stallAfter(2).build());

    long started = System.nanoTime();
    HttpResponse<String> response = post(sb, tenant, chat("test/alpha", true, 30));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    StreamTranscript transcript = StreamTranscript.of(response.body());
    assertThat(transcript.endsWithDone()).isFalse();
    assertThat(transcript.last().at("/error/message").asText()).contains("stalled");
    assertThat(took).isLessThan(Duration.ofSeconds(2 + 5)); // idle timeout (2 s) + margin
    assertThat(transcript.comments()).isEmpty();
  }

  @Test
  void aMalformedChunkAfterContentIsAnInBandError(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().malformedAfter(2).build());

    StreamTranscript transcript =
        StreamTranscript.of(post(sb, tenant, chat("test/alpha", true, 30)).body());

    assertThat(transcript.endsWithDone()).isFalse();
    assertThat(transcript.last().at("/choices/0/finish_reason").asText()).isEqualTo("error");
  }

  @Test
  void aProviderThatReportsNoUsageIsBilledOnAnEstimateMarkedAsSuch(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().noUsage(true).build());

    StreamTranscript transcript =
        StreamTranscript.of(post(sb, tenant, chat("test/alpha", true, 12)).body());

    assertThat(transcript.endsWithDone()).isTrue();
    JsonNode usage = transcript.last().get("usage");
    assertThat(usage.get("completion_tokens").asLong()).isPositive();
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + transcript.last().get("id").asText()).get("data");
    assertThat(generation.get("usage_estimated").asBoolean()).isTrue();
    assertThat(generation.get("total_cost").decimalValue())
        .isEqualByComparingTo(usage.get("cost").decimalValue());
  }

  @Test
  void aWaitingStreamGetsKeepAliveComments(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    sb.faults("alpha", FaultSpec.builder().ttftMs(1_000).build());

    Timed timed = timedPost(sb, tenant, chat("test/alpha", true, 5));
    StreamTranscript transcript = StreamTranscript.of(timed.response().body());

    assertThat(transcript.comments()).contains(": SWITCHBOARD PROCESSING");
    assertThat(transcript.endsWithDone()).isTrue();
    // the slow first token (1 s) was waited for, neither cut nor left for a timeout
    assertThat(timed.took()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(1).plus(PROMPTLY));
  }

  @Test
  void aClientThatDisconnectsMidStreamIsBilledForWhatWasProduced(ControlledSwitchboard sb)
      throws Exception {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // 200 tokens 100 ms apart: the answer cannot end on its own while the test watches
    sb.faults("alpha", FaultSpec.builder().chunkDelayMs(100).completionTokens(200).build());

    // a raw socket, closed explicitly: an HTTP client might drain the body instead of disconnecting
    String generationId;
    try (Socket socket = new Socket("127.0.0.1", sb.switchboard().port())) {
      RawChatRequest.send(socket, tenant.managementKey(), chat("test/alpha", true, 200));
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String id = null;
      int contentChunks = 0;
      String line;
      while (contentChunks < 3 && (line = lines.readLine()) != null) {
        if (line.regionMatches(true, 0, "X-Generation-Id:", 0, 16)) {
          id = line.substring(16).trim();
        }
        if (line.startsWith("data: ")) {
          contentChunks++;
        }
      }
      generationId = id;
    } // closing the socket disconnects mid-stream
    assertThat(generationId).startsWith("gen-");

    JsonNode generation = awaitGeneration(tenant, generationId);
    assertThat(generation.get("cancelled").asBoolean()).isTrue();
    assertThat(generation.get("streamed").asBoolean()).isTrue();
    assertThat(generation.get("tokens_completion").asLong()).isBetween(1L, 199L);
    assertThat(generation.get("total_cost").decimalValue()).isPositive();
    assertThat(tenant.totalUsage())
        .isEqualByComparingTo(generation.get("total_cost").decimalValue());
  }

  @Test
  void aRequestWhoseWorstCaseIsNotCoveredIsRefusedBeforeAnyProviderIsCalled(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "0.01");
    Map<String, Long> before = sb.switchboard().tableRowCounts();

    // 4000 completion tokens at $0.001 = $4 worst case, against $0.01
    HttpResponse<String> response = post(sb, tenant, chat("test/pricey", false, 4000));

    assertThat(response.statusCode()).isEqualTo(402);
    JsonNode error = Tenant.parse(response.body()).get("error");
    assertThat(error.get("message").asText()).contains("$0.01");
    assertThat(error.at("/metadata/available").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(error.at("/metadata/requested").decimalValue()).isGreaterThan(new BigDecimal("4"));
    assertThat(sb.sentTo("alpha")).isEmpty();
    assertThat(sb.switchboard().tableRowCounts()).isEqualTo(before);

    // a small enough request goes through
    assertThat(post(sb, tenant, chat("test/pricey", false, 5)).statusCode()).isEqualTo(200);
  }

  @Test
  void manyConcurrentRequestsNeverSpendMoreThanTheCreditsAndAddUpToTheNanoDollar(
      ControlledSwitchboard sb) throws Exception {
    // each request may cost up to ~$0.00206 (1,000 completion tokens at $2/M plus the prompt), so
    // $0.01 covers four at a time; each answers after 1 s, so 30 sent at once overlap
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "0.01");
    sb.faults("alpha", FaultSpec.builder().delayMs(1_000).completionTokens(10).build());
    ExecutorService clients = Executors.newFixedThreadPool(30);
    List<HttpResponse<String>> responses;
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        sent.add(
            clients.submit(
                () -> {
                  start.await();
                  return post(sb, tenant, chat("test/alpha", false, 1_000));
                }));
      }
      start.countDown();
      responses = new ArrayList<>();
      for (Future<HttpResponse<String>> response : sent) {
        responses.add(response.get(60, TimeUnit.SECONDS));
      }
    } finally {
      clients.shutdownNow();
    }

    BigDecimal spent = BigDecimal.ZERO;
    int answered = 0;
    int refused = 0;
    for (HttpResponse<String> response : responses) {
      JsonNode body = Tenant.parse(response.body());
      if (response.statusCode() == 200) {
        answered++;
        spent = spent.add(body.at("/usage/cost").decimalValue());
      } else {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(402);
        assertThat(body.at("/error/metadata/available").decimalValue())
            .isLessThan(body.at("/error/metadata/requested").decimalValue());
        refused++;
      }
    }
    assertThat(answered).isPositive();
    assertThat(refused).as("the credits cannot cover 30 worst cases at once").isPositive();
    // every answered request was debited once, exactly, and nothing else
    assertThat(tenant.totalUsage()).isEqualByComparingTo(spent);
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("0.01").subtract(spent));
    // and nothing stays held: the rest of the credits still buys a request
    sb.reset();
    assertThat(post(sb, tenant, chat("test/alpha", false, 1_000)).statusCode()).isEqualTo(200);
  }

  /**
   * What an answer that neither waits for a timeout nor for a {@code Retry-After} stays under, with
   * a wide margin for a loaded machine: well below the instance's first-byte timeout (5 s).
   */
  private static final Duration PROMPTLY = Duration.ofSeconds(3);

  private record Timed(HttpResponse<String> response, Duration took) {}

  private static Timed timedPost(ControlledSwitchboard sb, Tenant tenant, String body) {
    long start = System.nanoTime();
    HttpResponse<String> response = post(sb, tenant, body);
    return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * What a generation's tokens cost at an endpoint's list price, given in USD per million prompt
   * and completion tokens.
   */
  private static BigDecimal listPrice(
      JsonNode generation, long promptPerMillion, long completionPerMillion) {
    return new BigDecimal(
            generation.get("tokens_prompt").asLong() * promptPerMillion
                + generation.get("tokens_completion").asLong() * completionPerMillion)
        .movePointLeft(6);
  }

  /** The request body, with a {@code session_id} naming its conversation. */
  private static String inSession(String session, String body) {
    return body.replaceFirst("\\{", "{\"session_id\":\"" + session + "\",");
  }

  private static HttpResponse<String> post(ControlledSwitchboard sb, Tenant tenant, String body) {
    return sb.switchboard()
        .post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of());
  }

  /**
   * The generation of a cancelled stream is written when the disconnect is noticed; ask until it
   * is.
   */
  private static JsonNode awaitGeneration(Tenant tenant, String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> response =
          tenant.switchboard().get("/api/v1/generation?id=" + id, tenant.managementKey());
      if (response.statusCode() == 200 || System.nanoTime() > deadline) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Tenant.parse(response.body()).get("data");
      }
      Thread.onSpinWait();
    }
  }
}
