package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request's {@code provider} object and the routing variants against the jar: a price ceiling
 * nothing fits is a 503 naming what costs too much, a field the object does not have is a 400
 * naming it, a data policy no provider meets leaves none, and {@code :floor} serves from the
 * cheapest endpoint. Refusals cost nothing.
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

  private static HttpResponse<String> post(ControlledSwitchboard sb, Tenant tenant, String body) {
    return sb.switchboard()
        .post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of());
  }
}
