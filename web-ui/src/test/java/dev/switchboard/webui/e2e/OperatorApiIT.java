package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator API against the built jar: only the operator token opens it, and a credit grant
 * moves money exactly once per Idempotency-Key — on a retry, under concurrent duplicates, and never
 * for a different body.
 */
@ExtendWith(SwitchboardExtension.class)
class OperatorApiIT {

  @Test
  void wrongOrMissingOperatorTokenIsUnauthorized(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    String found = "{\"name\":\"intruder\"}";
    String grant = "{\"amount\":\"100.00\",\"reason\":\"free money\"}";
    String credits = "/api/v1/operator/organizations/" + tenant.id() + "/credits";
    Map<String, String> idempotency = Map.of("Idempotency-Key", "intruder-" + UUID.randomUUID());

    for (String token :
        new String[] {
          null, "wrong-token", RunningSwitchboard.OPERATOR_TOKEN + "x", tenant.managementKey()
        }) {
      assertError(
          switchboard.post("/api/v1/operator/organizations", token, found, Map.of()),
          401,
          "found with " + token);
      assertError(switchboard.post(credits, token, grant, idempotency), 401, "grant with " + token);
    }
    assertError(
        send(
            switchboard, credits, "Basic " + RunningSwitchboard.OPERATOR_TOKEN, grant, idempotency),
        401,
        "grant with the token under another scheme");

    assertThat(totalCredits(tenant)).isEqualByComparingTo("0");
  }

  @Test
  void repeatedGrantWithTheSameIdempotencyKeyCountsOnce(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    String key = "grant-" + UUID.randomUUID();

    HttpResponse<String> first = tenant.grant("10.00", key);
    HttpResponse<String> replay = tenant.grant("10.00", key);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
    JsonNode original = ExactJson.parse(first.body());
    JsonNode replayed = ExactJson.parse(replay.body());
    assertThat(original.path("entry_id").asText()).isNotBlank();
    assertThat(replayed.path("entry_id").asText()).isEqualTo(original.path("entry_id").asText());
    assertThat(new BigDecimal(original.path("amount").asText())).isEqualByComparingTo("10");
    assertThat(new BigDecimal(original.path("balance").asText())).isEqualByComparingTo("10");
    assertThat(new BigDecimal(replayed.path("amount").asText())).isEqualByComparingTo("10");
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed").orElse("false"))
        .isEqualTo("false");
    assertThat(totalCredits(tenant)).isEqualByComparingTo("10");

    HttpResponse<String> another = tenant.grant("10.00", "grant-" + UUID.randomUUID());
    assertThat(another.statusCode()).as(another.body()).isEqualTo(201);
    assertThat(ExactJson.parse(another.body()).path("entry_id").asText())
        .isNotEqualTo(original.path("entry_id").asText());
    assertThat(totalCredits(tenant)).isEqualByComparingTo("20");
  }

  @Test
  void concurrentDuplicateGrantsMoveMoneyOnce(RunningSwitchboard switchboard) throws Exception {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    int duplicates = 10;
    int rounds = 5;
    ExecutorService pool = Executors.newFixedThreadPool(duplicates);
    try {
      for (int round = 1; round <= rounds; round++) {
        String key = "burst-" + round + "-" + UUID.randomUUID();
        List<HttpResponse<String>> answers =
            burst(pool, duplicates, () -> tenant.grant("3.00", key));
        List<String> entryIds = new ArrayList<>();
        for (HttpResponse<String> response : answers) {
          assertThat(response.statusCode())
              .as("round " + round + ": " + response.body())
              .isEqualTo(201);
          entryIds.add(ExactJson.parse(response.body()).path("entry_id").asText());
        }
        assertThat(entryIds).as("round " + round).hasSize(duplicates).doesNotContain("");
        assertThat(entryIds.stream().distinct()).as("round " + round + ": " + entryIds).hasSize(1);
        assertThat(totalCredits(tenant))
            .as("round " + round)
            .isEqualByComparingTo(new BigDecimal(3 * round));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@code count} copies of {@code call} released together, and returns every answer. */
  private static <T> List<T> burst(
      ExecutorService pool, int count, java.util.concurrent.Callable<T> call) throws Exception {
    CountDownLatch ready = new CountDownLatch(count);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return call.call();
              }));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<T> answers = new ArrayList<>();
    for (Future<T> future : futures) {
      answers.add(future.get(60, TimeUnit.SECONDS));
    }
    return answers;
  }

  @Test
  void sameIdempotencyKeyWithAnotherBodyIsRefusedAndMovesNothing(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    String key = "grant-" + UUID.randomUUID();
    HttpResponse<String> first = tenant.grant("5.00", key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

    assertError(tenant.grant("50.00", key), 422, "same key, another amount");
    assertError(
        switchboard.post(
            "/api/v1/operator/organizations/" + tenant.id() + "/credits",
            RunningSwitchboard.OPERATOR_TOKEN,
            "{\"amount\":\"5.00\",\"reason\":\"another reason\"}",
            Map.of("Idempotency-Key", key)),
        422,
        "same key, another reason");

    assertThat(totalCredits(tenant)).isEqualByComparingTo("5");
  }

  @Test
  void grantWithoutIdempotencyKeyIsRefused(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    String credits = "/api/v1/operator/organizations/" + tenant.id() + "/credits";
    String body = "{\"amount\":\"10.00\",\"reason\":\"e2e\"}";

    assertError(
        switchboard.post(credits, RunningSwitchboard.OPERATOR_TOKEN, body, Map.of()),
        400,
        "no Idempotency-Key");
    assertError(
        switchboard.post(
            credits, RunningSwitchboard.OPERATOR_TOKEN, body, Map.of("Idempotency-Key", " ")),
        400,
        "blank Idempotency-Key");

    assertThat(totalCredits(tenant)).isEqualByComparingTo("0");
  }

  @Test
  void invalidAmountsAreRefusedAndAPlainJsonNumberIsAccepted(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    List<String> invalid =
        List.of(
            "\"0\"",
            "0",
            "\"-1\"",
            "-1",
            "\"abc\"",
            "\"\"",
            "\"0.0000000001\"",
            "0.0000000001",
            "1e400",
            "\"1e400\"",
            "-1e400",
            "\"NaN\"",
            "\"Infinity\"",
            "true",
            "{\"usd\":1}",
            "[1]",
            "null");
    for (String amount : invalid) {
      assertError(
          grantRaw(switchboard, tenant, "{\"amount\":" + amount + ",\"reason\":\"e2e\"}"),
          400,
          "amount " + amount);
    }
    assertError(grantRaw(switchboard, tenant, "{\"reason\":\"no amount\"}"), 400, "no amount");
    assertError(
        grantRaw(switchboard, tenant, "{\"amount\":\"1.00\",\"balance\":\"1000\"}"),
        400,
        "smuggled balance");
    assertThat(totalCredits(tenant)).isEqualByComparingTo("0");

    HttpResponse<String> number =
        grantRaw(switchboard, tenant, "{\"amount\":2.5,\"reason\":\"a JSON number\"}");
    assertThat(number.statusCode()).as(number.body()).isEqualTo(201);
    assertThat(new BigDecimal(ExactJson.parse(number.body()).path("amount").asText()))
        .isEqualByComparingTo("2.5");
    HttpResponse<String> nano =
        grantRaw(
            switchboard, tenant, "{\"amount\":\"0.000000001\",\"reason\":\"one nano-dollar\"}");
    assertThat(nano.statusCode()).as(nano.body()).isEqualTo(201);
    assertThat(totalCredits(tenant)).isEqualByComparingTo("2.500000001");
  }

  @Test
  void unknownOrMalformedOrganizationIsNotFound(RunningSwitchboard switchboard) {
    String body = "{\"amount\":\"10.00\",\"reason\":\"e2e\"}";
    for (String id : List.of(UUID.randomUUID().toString(), "not-an-id", "12345", "..%2F..%2Fetc")) {
      assertError(
          switchboard.post(
              "/api/v1/operator/organizations/" + id + "/credits",
              RunningSwitchboard.OPERATOR_TOKEN,
              body,
              Map.of("Idempotency-Key", "nowhere-" + UUID.randomUUID())),
          404,
          "grant to organization " + id);
    }
  }

  @Test
  void anOrganizationsRateLimitHoldsOverAllItsKeysUntilTheOperatorRemovesIt(
      RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String path = "/api/v1/operator/organizations/" + tenant.id();
    String token = RunningSwitchboard.OPERATOR_TOKEN;
    for (String body :
        List.of("{}", "{\"rate_limit_rpm\":0}", "{\"rate_limit_rpm\":\"2\"}", "{\"rpm\":2}")) {
      assertError(switchboard.patch(path, token, body), 400, "PATCH " + body);
    }
    assertError(
        switchboard.patch(path, tenant.managementKey(), "{\"rate_limit_rpm\":2}"),
        401,
        "a management key");
    assertError(
        switchboard.patch(
            "/api/v1/operator/organizations/" + UUID.randomUUID(), token, "{\"rate_limit_rpm\":2}"),
        404,
        "an unknown organization");

    HttpResponse<String> set = switchboard.patch(path, token, "{\"rate_limit_rpm\":2}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(Tenant.parse(set.body()).path("data").path("rate_limit_rpm").asInt()).isEqualTo(2);

    // seven requests in well under a minute span at most two windows: at most 2 + 2 pass
    int answered = 0;
    for (int i = 0; i < 7; i++) {
      HttpResponse<String> response = tenant.chat();
      if (response.statusCode() == 200) {
        answered++;
      } else {
        JsonNode error = assertError(response, 429, "over the organization's rate limit");
        assertThat(error.path("message").asText())
            .contains("2 requests per minute for this organization");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
      }
    }
    assertThat(answered).isBetween(2, 4);

    HttpResponse<String> removed = switchboard.patch(path, token, "{\"rate_limit_rpm\":null}");
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    HttpResponse<String> free = tenant.chat();
    assertThat(free.statusCode()).as(free.body()).isEqualTo(200);
    assertThat(free.headers().firstValue("X-RateLimit-Limit")).isEmpty();
  }

  @Test
  void foundingNeedsANonEmptyName(RunningSwitchboard switchboard) {
    for (String body :
        List.of(
            "{}",
            "{\"name\":\"\"}",
            "{\"name\":\"   \"}",
            "{\"name\":null}",
            "{\"name\":42}",
            "{\"name\":\"" + "x".repeat(10_000) + "\"}",
            "{\"name\":\"ok\",\"balance\":\"1000\"}",
            "[]",
            "")) {
      assertError(
          switchboard.post(
              "/api/v1/operator/organizations", RunningSwitchboard.OPERATOR_TOKEN, body, Map.of()),
          400,
          "found " + ExactJson.abbreviate(body));
    }

    HttpResponse<String> founded =
        switchboard.post(
            "/api/v1/operator/organizations",
            RunningSwitchboard.OPERATOR_TOKEN,
            "{\"name\":\"  Acme  \"}",
            Map.of());
    assertThat(founded.statusCode()).as(founded.body()).isEqualTo(201);
    JsonNode org = ExactJson.parse(founded.body());
    assertThat(org.path("id").asText()).isNotBlank();
    assertThat(org.path("name").asText()).isEqualTo("Acme");
    assertThat(org.path("management_key").asText()).startsWith("sk-sb-");
    Tenant tenant =
        new Tenant(switchboard, org.path("id").asText(), org.path("management_key").asText());
    assertThat(totalCredits(tenant)).isEqualByComparingTo("0");
  }

  private static BigDecimal totalCredits(Tenant tenant) {
    HttpResponse<String> credits =
        tenant.switchboard().get("/api/v1/credits", tenant.managementKey());
    assertThat(credits.statusCode()).as(credits.body()).isEqualTo(200);
    return ExactJson.parse(credits.body()).path("data").path("total_credits").decimalValue();
  }

  private static HttpResponse<String> grantRaw(
      RunningSwitchboard switchboard, Tenant tenant, String body) {
    return switchboard.post(
        "/api/v1/operator/organizations/" + tenant.id() + "/credits",
        RunningSwitchboard.OPERATOR_TOKEN,
        body,
        Map.of("Idempotency-Key", "raw-" + UUID.randomUUID()));
  }

  private static HttpResponse<String> send(
      RunningSwitchboard switchboard,
      String path,
      String authorization,
      String body,
      Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(switchboard.uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return switchboard.send(request.build());
  }
}
