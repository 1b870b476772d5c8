package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import java.net.http.HttpResponse;
import java.util.Map;
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
