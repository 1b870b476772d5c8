package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * An organization made through the operator API, with its management key: each test's own tenant.
 */
public record Tenant(RunningSwitchboard switchboard, String id, String managementKey) {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A new organization holding {@code usd} of credits. */
  public static Tenant withCredits(RunningSwitchboard switchboard, String usd) {
    HttpResponse<String> founded =
        switchboard.post(
            "/api/v1/operator/organizations",
            RunningSwitchboard.OPERATOR_TOKEN,
            "{\"name\":\"e2e " + UUID.randomUUID() + "\"}",
            Map.of());
    assertThat(founded.statusCode()).as(founded.body()).isEqualTo(201);
    JsonNode org = parse(founded.body());
    Tenant tenant =
        new Tenant(switchboard, org.get("id").asText(), org.get("management_key").asText());
    if (new BigDecimal(usd).signum() > 0) {
      HttpResponse<String> granted = tenant.grant(usd, "seed-" + UUID.randomUUID());
      assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
    }
    return tenant;
  }

  public HttpResponse<String> grant(String usd, String idempotencyKey) {
    return switchboard.post(
        "/api/v1/operator/organizations/" + id + "/credits",
        RunningSwitchboard.OPERATOR_TOKEN,
        "{\"amount\":\"" + usd + "\",\"reason\":\"e2e\"}",
        Map.of("Idempotency-Key", idempotencyKey));
  }

  /** A small chat completion of the demo catalog, with the management key. */
  public HttpResponse<String> chat() {
    return switchboard.post(
        "/api/v1/chat/completions",
        managementKey,
        "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        Map.of());
  }

  /** {@code total_credits - total_usage} from {@code GET /credits}, exactly. */
  public BigDecimal balance() {
    JsonNode credits = getJson("/api/v1/credits").get("data");
    return credits
        .get("total_credits")
        .decimalValue()
        .subtract(credits.get("total_usage").decimalValue());
  }

  public BigDecimal totalUsage() {
    return getJson("/api/v1/credits").get("data").get("total_usage").decimalValue();
  }

  public JsonNode getJson(String path) {
    HttpResponse<String> response = switchboard.get(path, managementKey);
    assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
    return parse(response.body());
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
