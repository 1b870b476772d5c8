package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request's {@code provider} object and the routing variants against the jar: a price ceiling
 * nothing fits is a 503 naming what costs too much, a field the object does not have is a 400
 * naming it, a data policy no provider meets leaves none, and {@code :floor} serves from the
 * cheapest endpoint; {@code switchboard/auto} picks the cheapest model for the request and names
 * it. Refusals cost nothing.
 */
@ExtendWith(SwitchboardExtension.class)
class RoutingPreferencesIT {

  private static String chat(String model, String provider) {
    return """
        {"model":"%s","max_tokens":10,%s
         "messages":[{"role":"user","content":"Tell me about the sea."}]}"""
        .formatted(model, provider == null ? "" : "\"provider\":" + provider + ",");
  }

  @Test
  void aPriceCeilingNothingFitsIsA503SayingWhatCostsTooMuch(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    HttpResponse<String> refused =
        post(sb, tenant, chat("test/failover", "{\"max_price\":{\"prompt\":0.5}}"));

    JsonNode error = ErrorShape.assertError(refused, 503, "max_price below every endpoint");
    assertThat(error.path("message").asText())
        .contains("alpha costs $1 per million prompt tokens, above provider.max_price.prompt $0.5")
        .contains("beta costs $3 per million prompt tokens");
    assertThat(sb.sentTo("alpha")).isEmpty();
    assertThat(tenant.balance()).isEqualByComparingTo("1.00");

    HttpResponse<String> fits =
        post(sb, tenant, chat("test/failover", "{\"max_price\":{\"prompt\":\"2\"}}"));

    assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
    assertThat(Tenant.parse(fits.body()).path("provider").asText()).isEqualTo("Alpha");
  }

  @Test
  void aFieldTheProviderObjectDoesNotHaveIsRefusedByName(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    HttpResponse<String> refused =
        post(sb, tenant, chat("test/failover", "{\"sort\":\"price\",\"prefered_order\":[]}"));

    JsonNode error = ErrorShape.assertError(refused, 400, "an unknown provider field");
    assertThat(error.path("message").asText())
        .startsWith("'provider.prefered_order' is not a provider preference");
    assertThat(sb.sentTo("alpha")).isEmpty();
    assertThat(sb.sentTo("beta")).isEmpty();
  }

  @Test
  void dataCollectionDenyLeavesOutProvidersWithoutAPolicySayingTheyKeepNothing(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    HttpResponse<String> refused =
        post(sb, tenant, chat("test/failover", "{\"data_collection\":\"deny\"}"));

    JsonNode error = ErrorShape.assertError(refused, 503, "no provider meets the data policy");
    assertThat(error.path("message").asText())
        .contains("alpha may train on prompts and provider.data_collection is deny");
  }

  @Test
  void theFloorVariantServesFromTheCheapestEndpointAndAnOrderFromItsFirstProvider(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    HttpResponse<String> floor = post(sb, tenant, chat("test/failover:floor", null));
    HttpResponse<String> ordered =
        post(sb, tenant, chat("test/failover", "{\"order\":[\"beta\"]}"));

    assertThat(floor.statusCode()).as(floor.body()).isEqualTo(200);
    assertThat(Tenant.parse(floor.body()).path("provider").asText()).isEqualTo("Alpha");
    assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(200);
    assertThat(Tenant.parse(ordered.body()).path("provider").asText()).isEqualTo("Beta");
  }

  /**
   * {@code provider.sort} by latency and by throughput, and the {@code :nitro} variant, order a
   * model's endpoints by what this instance measured of their answers, not by price: after one
   * streamed answer from each of test/speed's endpoints, latency picks the one quickest to its
   * first token, throughput and {@code :nitro} the one that streams fastest, and the default the
   * cheapest. Each answer is billed once, at the price of the endpoint that gave it.
   */
  @Test
  void theLatencyAndThroughputSortsAndTheNitroVariantFollowWhatTheInstanceMeasured(
      ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    // Each provider answers every request alike, so its endpoint's medians stay what its first
    // answer made them. Streamed, the first token comes after the pause; the throughput is 6
    // tokens over 5 chunk delays. alpha, the cheapest: slow to its first token (400 ms) and slow
    // to stream (~24 tokens/s); beta: quick to its first token (no pause), slow to stream; gamma,
    // the dearest: slow to its first token (300 ms), fast to stream (~240 tokens/s).
    sb.faults(
        "alpha", FaultSpec.builder().completionTokens(6).ttftMs(400).chunkDelayMs(50).build());
    sb.faults("beta", FaultSpec.builder().completionTokens(6).chunkDelayMs(50).build());
    sb.faults("gamma", FaultSpec.builder().completionTokens(6).ttftMs(300).chunkDelayMs(5).build());
    List<JsonNode> answers = new ArrayList<>();
    for (String provider : List.of("alpha", "beta", "gamma")) {
      answers.add(streamed(sb, tenant, "test/speed", "{\"only\":[\"" + provider + "\"]}"));
    }

    JsonNode latency = streamed(sb, tenant, "test/speed", "{\"sort\":\"latency\"}");
    JsonNode throughput = streamed(sb, tenant, "test/speed", "{\"sort\":\"throughput\"}");
    JsonNode nitro = streamed(sb, tenant, "test/speed:nitro", null);
    JsonNode byPrice = streamed(sb, tenant, "test/speed", null);

    assertThat(latency.get("provider").asText()).isEqualTo("Beta");
    assertThat(throughput.get("provider").asText()).isEqualTo("Gamma");
    assertThat(nitro.get("provider").asText()).isEqualTo("Gamma");
    assertThat(nitro.get("model").asText()).isEqualTo("test/speed");
    assertThat(byPrice.get("provider").asText()).isEqualTo("Alpha");
    answers.addAll(List.of(latency, throughput, nitro, byPrice));
    // test/speed: alpha 1 and 2 USD per million tokens, beta 3 and 4, gamma 5 and 6
    Map<String, long[]> perMillion =
        Map.of("alpha", new long[] {1, 2}, "beta", new long[] {3, 4}, "gamma", new long[] {5, 6});
    BigDecimal billed = BigDecimal.ZERO;
    for (JsonNode answer : answers) {
      JsonNode generation =
          tenant.getJson("/api/v1/generation?id=" + answer.get("id").asText()).get("data");
      String provider = generation.get("provider_name").asText();
      assertThat(provider).isEqualTo(answer.get("provider").asText().toLowerCase(Locale.ROOT));
      assertThat(generation.get("provider_responses")).as("one attempt").hasSize(1);
      assertThat(generation.at("/provider_responses/0/provider_name").asText()).isEqualTo(provider);
      BigDecimal price =
          new BigDecimal(
                  generation.get("tokens_prompt").asLong() * perMillion.get(provider)[0]
                      + generation.get("tokens_completion").asLong() * perMillion.get(provider)[1])
              .movePointLeft(6);
      assertThat(generation.get("total_cost").decimalValue())
          .isPositive()
          .isEqualByComparingTo(price)
          .isEqualByComparingTo(answer.at("/usage/cost").decimalValue());
      billed = billed.add(price);
    }
    assertThat(tenant.balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(billed));
  }

  /**
   * A streamed answer of 6 tokens, in a conversation of its own (sticky routing would otherwise
   * send it where the last one went), checked whole; returns its usage chunk.
   */
  private static JsonNode streamed(
      ControlledSwitchboard sb, Tenant tenant, String model, String provider) {
    String body =
        """
        {"model":"%s","stream":true,"max_tokens":20,"session_id":"%s",%s
         "messages":[{"role":"user","content":"Tell me about the sea."}]}"""
            .formatted(
                model, UUID.randomUUID(), provider == null ? "" : "\"provider\":" + provider + ",");
    HttpResponse<String> response = post(sb, tenant, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    StreamTranscript transcript = StreamTranscript.of(response.body());
    assertThat(transcript.endsWithDone()).as(response.body()).isTrue();
    assertThat(transcript.chunks()).noneMatch(chunk -> chunk.has("error"));
    assertThat(transcript.content()).isNotEmpty();
    JsonNode usageChunk = transcript.last();
    assertThat(usageChunk.at("/usage/completion_tokens").asLong()).isEqualTo(6);
    return usageChunk;
  }

  @Test
  void theAutoRouterAnswersFromTheModelItChoseAndNamesIt(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");

    HttpResponse<String> auto = post(sb, tenant, chat("switchboard/auto", null));
    HttpResponse<String> alias = post(sb, tenant, chat("openrouter/auto", null));

    assertThat(auto.statusCode()).as(auto.body()).isEqualTo(200);
    JsonNode answer = Tenant.parse(auto.body());
    assertThat(answer.path("model").asText())
        .as("the cheapest model for this request: delta's prices are the lowest")
        .isEqualTo("test/gemini");
    assertThat(answer.path("usage").path("cost").decimalValue()).isPositive();
    assertThat(Tenant.parse(alias.body()).path("model").asText()).isEqualTo("test/gemini");
    JsonNode listed =
        Tenant.parse(sb.switchboard().get("/api/v1/models", null).body()).path("data");
    assertThat(listed.findValues("input_modalities")).isNotEmpty().allMatch(m -> m.size() == 1);

    HttpResponse<String> image =
        post(
            sb,
            tenant,
            """
            {"model":"switchboard/auto","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"What is in it?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}""");

    JsonNode error = ErrorShape.assertError(image, 404, "no catalog model takes images");
    assertThat(error.path("message").asText())
        .startsWith("No model in the catalog meets this request for switchboard/auto")
        .contains("takes images");
  }

  @Test
  void aConversationStaysWithTheEndpointThatAnsweredItForItsPromptCache(ControlledSwitchboard sb) {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "1.00");
    String conversation =
        """
        {"model":"test/sticky","max_tokens":5,"session_id":"%s",
         "messages":[{"role":"user","content":"Tell me about the sea."}]}""";
    sb.faults("alpha", FaultSpec.builder().status(503).failNextRequests(1).build());

    HttpResponse<String> first = post(sb, tenant, conversation.formatted("trip-1"));
    HttpResponse<String> second = post(sb, tenant, conversation.formatted("trip-1"));
    HttpResponse<String> another = post(sb, tenant, conversation.formatted("trip-2"));

    assertThat(Tenant.parse(first.body()).path("provider").asText())
        .as("alpha failed once: beta answered")
        .isEqualTo("Beta");
    assertThat(Tenant.parse(second.body()).path("provider").asText())
        .as("the same conversation: beta first, though alpha is cheaper")
        .isEqualTo("Beta");
    assertThat(Tenant.parse(another.body()).path("provider").asText())
        .as("another conversation: the cheapest first")
        .isEqualTo("Alpha");
    assertThat(sb.sentTo("alpha").stream().filter(r -> r.body().contains("m-sticky")))
        .as("the failed attempt and the other conversation's")
        .hasSize(2);
  }

  private static HttpResponse<String> post(ControlledSwitchboard sb, Tenant tenant, String body) {
    return sb.switchboard()
        .post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of());
  }
}
