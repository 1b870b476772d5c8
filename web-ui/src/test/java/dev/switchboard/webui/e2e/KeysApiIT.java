package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The keys API and {@code /key} against the built jar: the life of a key (create, list, read,
 * change, disable, delete), who may manage keys, how bad credentials are refused, and how a key's
 * usage and limit follow real inference spend.
 */
@ExtendWith(SwitchboardExtension.class)
class KeysApiIT {

  private static final String MODEL = "openai/gpt-4o-mini";
  private static final String FREE_MODEL = "meta-llama/llama-3.3-70b-instruct:free";

  @Test
  void createdKeyIsListedAndReadableButItsPlaintextIsNeverShownAgain(
      RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");

    HttpResponse<String> created =
        switchboard.post(
            "/api/v1/keys",
            tenant.managementKey(),
            "{\"name\":\"ci runner\",\"limit\":2.5,\"limit_reset\":\"monthly\"}",
            Map.of());

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode answer = ExactJson.parse(created.body());
    String plaintext = answer.path("key").asText();
    JsonNode data = answer.path("data");
    String hash = data.path("hash").asText();
    assertThat(plaintext).startsWith("sk-sb-v1-");
    assertThat(hash).isNotBlank().isNotEqualTo(plaintext);
    assertThat(data.path("name").asText()).isEqualTo("ci runner");
    assertThat(data.path("disabled").asBoolean(true)).isFalse();
    assertThat(data.path("is_management_key").asBoolean(true)).isFalse();
    assertThat(data.path("limit").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(data.path("limit_remaining").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(data.path("limit_reset").asText()).isEqualTo("monthly");
    assertThat(data.path("usage").decimalValue()).isEqualByComparingTo("0");
    assertThat(data.path("created_at").asText()).isNotBlank();
    assertThat(data.path("label").asText()).isNotBlank().isNotEqualTo(plaintext);
    assertThat(data.toString()).doesNotContain(plaintext);

    HttpResponse<String> list = switchboard.get("/api/v1/keys", tenant.managementKey());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(plaintext).doesNotContain(tenant.managementKey());
    List<JsonNode> listed = keys(switchboard, tenant);
    assertThat(listed).extracting(k -> k.path("hash").asText()).contains(hash);
    JsonNode listedKey =
        listed.stream().filter(k -> k.path("hash").asText().equals(hash)).findFirst().orElseThrow();
    assertThat(listedKey.path("name").asText()).isEqualTo("ci runner");
    assertThat(listedKey.path("limit").decimalValue()).isEqualByComparingTo("2.5");

    HttpResponse<String> read = switchboard.get("/api/v1/keys/" + hash, tenant.managementKey());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).doesNotContain(plaintext);
    JsonNode readData = ExactJson.parse(read.body()).path("data");
    assertThat(readData.path("hash").asText()).isEqualTo(hash);
    assertThat(readData.path("name").asText()).isEqualTo("ci runner");
    assertThat(readData.path("limit_reset").asText()).isEqualTo("monthly");

    JsonNode self = keyInfo(switchboard, plaintext);
    assertThat(self.path("is_management_key").asBoolean(true)).isFalse();
    assertThat(self.path("limit").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(self.path("limit_reset").asText()).isEqualTo("monthly");
    assertThat(self.path("usage").decimalValue()).isEqualByComparingTo("0");
  }

  @Test
  void patchChangesNameAndLimitAndNullRemovesTheLimit(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key =
        createKey(
            switchboard, tenant, "{\"name\":\"before\",\"limit\":1,\"limit_reset\":\"daily\"}");

    JsonNode renamed =
        patch(switchboard, tenant, key.hash(), "{\"name\":\"after\",\"limit\":\"0.75\"}");
    assertThat(renamed.path("name").asText()).isEqualTo("after");
    assertThat(renamed.path("limit").decimalValue()).isEqualByComparingTo("0.75");
    assertThat(renamed.path("limit_remaining").decimalValue()).isEqualByComparingTo("0.75");
    assertThat(readKey(switchboard, tenant, key.hash()).path("name").asText()).isEqualTo("after");
    assertThat(keyInfo(switchboard, key.plaintext()).path("limit").decimalValue())
        .isEqualByComparingTo("0.75");

    JsonNode unlimited = patch(switchboard, tenant, key.hash(), "{\"limit\":null}");
    assertThat(unlimited.path("limit").isNull() || unlimited.path("limit").isMissingNode())
        .as(unlimited.toString())
        .isTrue();
    assertThat(
            unlimited.path("limit_remaining").isNull()
                || unlimited.path("limit_remaining").isMissingNode())
        .as(unlimited.toString())
        .isTrue();
    assertThat(unlimited.path("name").asText()).isEqualTo("after");
    JsonNode self = keyInfo(switchboard, key.plaintext());
    assertThat(self.path("limit").isNull() || self.path("limit").isMissingNode())
        .as(self.toString())
        .isTrue();
  }

  @Test
  void disabledKeyIsRefusedEverywhereUntilEnabledAgain(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key = createKey(switchboard, tenant, "{\"name\":\"switchable\"}");
    assertThat(switchboard.get("/api/v1/key", key.plaintext()).statusCode()).isEqualTo(200);

    JsonNode disabled = patch(switchboard, tenant, key.hash(), "{\"disabled\":true}");
    assertThat(disabled.path("disabled").asBoolean(false)).isTrue();

    assertError(
        switchboard.get("/api/v1/key", key.plaintext()), 401, "GET /key with a disabled key");
    assertError(chat(switchboard, key.plaintext(), 5), 401, "chat with a disabled key");
    assertThat(tenant.totalUsage()).isEqualByComparingTo("0");

    JsonNode enabled = patch(switchboard, tenant, key.hash(), "{\"disabled\":false}");
    assertThat(enabled.path("disabled").asBoolean(true)).isFalse();
    assertThat(switchboard.get("/api/v1/key", key.plaintext()).statusCode()).isEqualTo(200);
  }

  @Test
  void deletedKeyIsRefusedAtOnceAndItsHashIsGone(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key = createKey(switchboard, tenant, "{\"name\":\"doomed\"}");
    // warm any cache of the key first: deletion must still take effect at once
    assertThat(switchboard.get("/api/v1/key", key.plaintext()).statusCode()).isEqualTo(200);

    HttpResponse<String> deleted = delete(switchboard, tenant.managementKey(), key.hash());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);

    assertError(
        switchboard.get("/api/v1/key", key.plaintext()), 401, "GET /key with a deleted key");
    assertError(chat(switchboard, key.plaintext(), 5), 401, "chat with a deleted key");
    assertError(
        switchboard.get("/api/v1/keys/" + key.hash(), tenant.managementKey()),
        404,
        "GET a deleted hash");
    assertError(
        patchResponse(switchboard, tenant.managementKey(), key.hash(), "{\"name\":\"zombie\"}"),
        404,
        "PATCH a deleted hash");
    assertError(
        delete(switchboard, tenant.managementKey(), key.hash()), 404, "DELETE a deleted hash");
    assertThat(switchboard.get("/api/v1/keys", tenant.managementKey()).body())
        .doesNotContain(key.hash());
  }

  @Test
  void anotherOrganizationsKeyHashIsNotFoundAndStaysUnchanged(RunningSwitchboard switchboard) {
    Tenant owner = Tenant.withCredits(switchboard, "1.00");
    Tenant stranger = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key = createKey(switchboard, owner, "{\"name\":\"owned\",\"limit\":1}");
    JsonNode before = readKey(switchboard, owner, key.hash());

    assertError(
        switchboard.get("/api/v1/keys/" + key.hash(), stranger.managementKey()),
        404,
        "foreign GET");
    assertError(
        patchResponse(
            switchboard,
            stranger.managementKey(),
            key.hash(),
            "{\"name\":\"stolen\",\"disabled\":true,\"limit\":0}"),
        404,
        "foreign PATCH");
    assertError(delete(switchboard, stranger.managementKey(), key.hash()), 404, "foreign DELETE");
    assertThat(switchboard.get("/api/v1/keys", stranger.managementKey()).body())
        .doesNotContain(key.hash());

    JsonNode after = readKey(switchboard, owner, key.hash());
    assertThat(after.path("name").asText()).isEqualTo("owned");
    assertThat(after.path("disabled").asBoolean(true)).isFalse();
    assertThat(after.path("limit").decimalValue()).isEqualByComparingTo("1");
    assertThat(after.path("updated_at").asText()).isEqualTo(before.path("updated_at").asText());
    assertThat(switchboard.get("/api/v1/key", key.plaintext()).statusCode()).isEqualTo(200);
  }

  @Test
  void ordinaryKeyMayReadItselfButNotManageKeysOrCredits(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key = createKey(switchboard, tenant, "{\"name\":\"ordinary\"}");

    assertError(
        switchboard.get("/api/v1/keys", key.plaintext()), 403, "GET /keys with an ordinary key");
    assertError(
        switchboard.post("/api/v1/keys", key.plaintext(), "{\"name\":\"minted\"}", Map.of()),
        403,
        "POST /keys with an ordinary key");
    assertError(
        switchboard.get("/api/v1/keys/" + key.hash(), key.plaintext()),
        403,
        "GET /keys/{hash} with an ordinary key");
    assertError(
        switchboard.get("/api/v1/credits", key.plaintext()),
        403,
        "GET /credits with an ordinary key");

    HttpResponse<String> self = switchboard.get("/api/v1/key", key.plaintext());
    assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    assertThat(ExactJson.parse(self.body()).path("data").path("is_management_key").asBoolean(true))
        .isFalse();
    assertThat(
            keyInfo(switchboard, tenant.managementKey()).path("is_management_key").asBoolean(false))
        .isTrue();
    assertThat(keys(switchboard, tenant))
        .extracting(k -> k.path("name").asText())
        .containsOnlyOnce("ordinary");
  }

  @Test
  void badCredentialsAreUnauthorized(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String unknownButWellFormed = wellFormedKeyNobodyWasGiven();

    for (String path : List.of("/api/v1/key", "/api/v1/keys", "/api/v1/credits")) {
      assertError(switchboard.get(path, null), 401, "GET " + path + " without Authorization");
      assertError(
          withAuthorization(switchboard, path, "Basic " + tenant.managementKey()),
          401,
          "GET " + path + " with Basic");
      assertError(
          withAuthorization(switchboard, path, tenant.managementKey()),
          401,
          "GET " + path + " without a scheme");
      assertError(
          switchboard.get(path, "sk-sb-v1-not-a-key"),
          401,
          "GET " + path + " with a malformed key");
      assertError(
          switchboard.get(path, withWrongChecksum(tenant.managementKey())),
          401,
          "GET " + path + " with a bad checksum");
      assertError(
          switchboard.get(path, unknownButWellFormed), 401, "GET " + path + " with an unknown key");
    }
    assertError(chat(switchboard, null, 5), 401, "chat without Authorization");
    assertError(chat(switchboard, unknownButWellFormed, 5), 401, "chat with an unknown key");
  }

  @Test
  void managementKeyCannotDeleteItself(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    JsonNode management =
        keys(switchboard, tenant).stream()
            .filter(k -> k.path("is_management_key").asBoolean(false))
            .findFirst()
            .orElseThrow(() -> new AssertionError("GET /keys does not list the management key"));

    assertError(
        delete(switchboard, tenant.managementKey(), management.path("hash").asText()),
        400,
        "self-delete");

    assertThat(switchboard.get("/api/v1/key", tenant.managementKey()).statusCode()).isEqualTo(200);
    assertThat(
            readKey(switchboard, tenant, management.path("hash").asText())
                .path("disabled")
                .asBoolean(true))
        .isFalse();
  }

  @Test
  void invalidKeySettingsAreRefusedAndCreateNothing(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key = createKey(switchboard, tenant, "{\"name\":\"steady\"}");
    int keysBefore = keys(switchboard, tenant).size();

    for (String body :
        List.of(
            "{\"name\":\"past\",\"expires_at\":\"2020-01-01T00:00:00Z\"}",
            "{\"name\":\"typo\",\"limt\":5}",
            "{\"name\":\"sneaky\",\"is_management_key\":true}",
            "{\"name\":\"weird\",\"limit_reset\":\"hourly\"}",
            "{\"name\":\"negative\",\"limit\":-1}",
            "{\"name\":\"slow\",\"rate_limit_rpm\":0}",
            "{\"name\":\"fractional\",\"rate_limit_rpm\":1.5}",
            "{\"name\":\"text\",\"rate_limit_rpm\":\"3\"}",
            "{\"name\":\"huge\",\"rate_limit_rpm\":1000001}",
            "{\"name\":\"\"}",
            "{}")) {
      assertError(
          switchboard.post("/api/v1/keys", tenant.managementKey(), body, Map.of()),
          400,
          "POST /keys " + body);
    }
    for (String body :
        List.of(
            "{\"expires_at\":\"2020-01-01T00:00:00Z\"}",
            "{\"nmae\":\"typo\"}",
            "{\"is_management_key\":true}",
            "{\"disabled\":\"yes\"}",
            "{\"name\":null}")) {
      assertError(
          patchResponse(switchboard, tenant.managementKey(), key.hash(), body),
          400,
          "PATCH /keys/{hash} " + body);
    }

    assertThat(keys(switchboard, tenant)).hasSize(keysBefore);
    JsonNode unchanged = readKey(switchboard, tenant, key.hash());
    assertThat(unchanged.path("name").asText()).isEqualTo("steady");
    assertThat(unchanged.path("is_management_key").asBoolean(true)).isFalse();
    assertThat(
            unchanged.path("expires_at").isNull() || unchanged.path("expires_at").isMissingNode())
        .isTrue();
  }

  @Test
  void aKeysRateLimitRefusesWith429AndRetryAfterAndSaysSoInItsHeaders(
      RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key = createKey(switchboard, tenant, "{\"name\":\"paced\",\"rate_limit_rpm\":3}");
    assertThat(readKey(switchboard, tenant, key.hash()).path("rate_limit_rpm").asInt())
        .isEqualTo(3);
    JsonNode self = keyInfo(switchboard, key.plaintext()).path("rate_limit");
    assertThat(self.path("requests").asInt()).isEqualTo(3);
    assertThat(self.path("interval").asText()).isEqualTo("1m");

    // ten requests in well under a minute span at most two fixed windows: at most 3 + 3 pass
    int answered = 0;
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = chat(switchboard, key.plaintext(), 5);
      assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
      long reset = Long.parseLong(response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
      assertThat(reset % 60_000).as("a window ends on a whole minute").isZero();
      if (response.statusCode() == 200) {
        answered++;
      } else {
        JsonNode error = assertError(response, 429, "over the rate limit");
        assertThat(error.path("message").asText()).contains("3 requests per minute for this key");
        long retryAfter =
            Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        refused++;
      }
    }
    assertThat(answered).isBetween(3, 6);
    assertThat(refused).isEqualTo(10 - answered);

    patch(switchboard, tenant, key.hash(), "{\"rate_limit_rpm\":null}");
    HttpResponse<String> unlimited = chat(switchboard, key.plaintext(), 5);
    assertThat(unlimited.statusCode()).as(unlimited.body()).isEqualTo(200);
    assertThat(unlimited.headers().firstValue("X-RateLimit-Limit")).isEmpty();
    assertThat(keyInfo(switchboard, key.plaintext()).path("rate_limit").isNull()).isTrue();
  }

  @Test
  void aFreeModelAnswersAtNoCostToAnOrganizationWithoutCreditsWhichIsOnTheFreeTier(
      RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    assertThat(keyInfo(switchboard, tenant.managementKey()).path("is_free_tier").asBoolean(false))
        .isTrue();

    HttpResponse<String> answered = freeChat(switchboard, tenant.managementKey(), FREE_MODEL);

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    JsonNode answer = ExactJson.parse(answered.body());
    assertThat(answer.path("model").asText()).isEqualTo(FREE_MODEL);
    assertThat(answer.path("usage").path("cost").decimalValue()).isEqualByComparingTo("0");
    assertThat(answer.path("usage").path("completion_tokens").asInt()).isPositive();
    JsonNode generation =
        tenant.getJson("/api/v1/generation?id=" + answer.path("id").asText()).path("data");
    assertThat(generation.path("model").asText()).isEqualTo(FREE_MODEL);
    assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo("0");
    assertThat(tenant.balance()).isEqualByComparingTo("0");
    assertThat(tenant.totalUsage()).isEqualByComparingTo("0");
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM generations WHERE org_id = ?::uuid", tenant.id()))
        .isEqualTo(1);
  }

  @Test
  void aFreeVariantOfAModelWithoutAFreeEndpointIsNotFound(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");

    HttpResponse<String> refused =
        freeChat(switchboard, tenant.managementKey(), "openai/gpt-4o-mini:free");

    JsonNode error = assertError(refused, 404, "a :free model without a free endpoint");
    assertThat(error.path("message").asText())
        .contains("No free endpoint exists for openai/gpt-4o-mini");
  }

  @Test
  void theFreeTiersMinuteQuotaRefusesWith429AndRetryAfter(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");

    // 45 requests in well under a minute span at most two fixed windows: 20 to 40 pass, and the
    // day's quota of 50 is not reached
    int answered = 0;
    int refused = 0;
    for (int i = 0; i < 45; i++) {
      HttpResponse<String> response = freeChat(switchboard, tenant.managementKey(), FREE_MODEL);
      if (response.statusCode() == 200) {
        answered++;
        continue;
      }
      JsonNode error = assertError(response, 429, "over the free tier's minute quota");
      assertThat(error.path("message").asText())
          .contains("20 requests per minute for this organization's free models");
      long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 60L);
      assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("20");
      assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
      long reset = Long.parseLong(response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
      assertThat(reset % 60_000).as("a window ends on a whole minute").isZero();
      refused++;
    }
    assertThat(answered).isBetween(20, 40);
    assertThat(refused).isEqualTo(45 - answered);
    // paid models are not counted against the free tier
    HttpResponse<String> paid = chat(switchboard, tenant.managementKey(), 5);
    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(402);
  }

  @Test
  void aNegativeBalanceBlocksEvenFreeModels(RunningSwitchboard switchboard) throws Exception {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    // an overage the provider reported is the only way a balance goes below zero: written here
    // directly, before the key is first used (and cached)
    try (java.sql.Connection c = switchboard.database();
        java.sql.PreparedStatement overage =
            c.prepareStatement(
                "WITH t AS (INSERT INTO ledger_transactions (org_id, kind, idempotency_key,"
                    + " created_at) VALUES (?::uuid, 'usage', ?, now()) RETURNING id)"
                    + " INSERT INTO ledger_entries (transaction_id, org_id, account_id,"
                    + " amount_nanos)"
                    + " SELECT t.id, ?::uuid, a.id, CASE WHEN a.kind = 'org_credits'"
                    + " THEN -10000000 ELSE 10000000 END FROM t, ledger_accounts a"
                    + " WHERE (a.org_id = ?::uuid AND a.kind = 'org_credits')"
                    + " OR (a.org_id IS NULL AND a.kind = 'inference_usage')")) {
      overage.setString(1, tenant.id());
      overage.setString(2, "test-overage:" + java.util.UUID.randomUUID());
      overage.setString(3, tenant.id());
      overage.setString(4, tenant.id());
      assertThat(overage.executeUpdate()).isEqualTo(2);
    }
    assertThat(tenant.balance()).isEqualByComparingTo("-0.01");

    HttpResponse<String> refused = freeChat(switchboard, tenant.managementKey(), FREE_MODEL);

    JsonNode error = assertError(refused, 402, "a free model on a negative balance");
    assertThat(error.path("message").asText()).contains("balance is negative");
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM generations WHERE org_id = ?::uuid", tenant.id()))
        .isZero();
  }

  @Test
  void keyUsageReflectsTheCostOfACompletedRequestExactly(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey key =
        createKey(
            switchboard,
            tenant,
            "{\"name\":\"metered\",\"limit\":\"0.5\",\"limit_reset\":\"weekly\"}");

    HttpResponse<String> answered = chat(switchboard, key.plaintext(), 20);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    BigDecimal cost = ExactJson.parse(answered.body()).path("usage").path("cost").decimalValue();
    assertThat(cost).isPositive();

    JsonNode self = keyInfo(switchboard, key.plaintext());
    assertThat(self.path("usage").decimalValue()).isEqualByComparingTo(cost);
    assertThat(self.path("usage_daily").decimalValue()).isEqualByComparingTo(cost);
    assertThat(self.path("usage_weekly").decimalValue()).isEqualByComparingTo(cost);
    assertThat(self.path("usage_monthly").decimalValue()).isEqualByComparingTo(cost);
    assertThat(self.path("limit_remaining").decimalValue())
        .isEqualByComparingTo(new BigDecimal("0.5").subtract(cost));

    JsonNode managed = readKey(switchboard, tenant, key.hash());
    assertThat(managed.path("usage").decimalValue()).isEqualByComparingTo(cost);
    assertThat(managed.path("limit_remaining").decimalValue())
        .isEqualByComparingTo(new BigDecimal("0.5").subtract(cost));

    JsonNode managementSelf = keyInfo(switchboard, tenant.managementKey());
    assertThat(managementSelf.path("usage").decimalValue()).isEqualByComparingTo("0");
    assertThat(tenant.totalUsage()).isEqualByComparingTo(cost);
  }

  @Test
  void keyOverItsLimitGetsPaymentRequiredWhileAnotherKeyOfTheOrganizationWorks(
      RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    CreatedKey tiny = createKey(switchboard, tenant, "{\"name\":\"tiny\",\"limit\":\"0.00001\"}");
    CreatedKey roomy = createKey(switchboard, tenant, "{\"name\":\"roomy\"}");

    // worst case 100 completion tokens × $0.0000006 = $0.00006, above the $0.00001 limit
    JsonNode error =
        assertError(chat(switchboard, tiny.plaintext(), 100), 402, "chat over the key limit");
    JsonNode metadata = error.path("metadata");
    assertThat(metadata.path("budget").asText()).isEqualTo("key_limit");
    assertThat(metadata.path("available").decimalValue()).isEqualByComparingTo("0.00001");
    assertThat(metadata.path("requested").decimalValue()).isGreaterThan(new BigDecimal("0.00001"));
    assertThat(error.path("message").asText()).contains("0.00001");
    assertThat(keyInfo(switchboard, tiny.plaintext()).path("usage").decimalValue())
        .isEqualByComparingTo("0");

    HttpResponse<String> other = chat(switchboard, roomy.plaintext(), 100);
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    BigDecimal cost = ExactJson.parse(other.body()).path("usage").path("cost").decimalValue();
    assertThat(tenant.totalUsage()).isEqualByComparingTo(cost);
  }

  record CreatedKey(String hash, String plaintext) {}

  private static CreatedKey createKey(RunningSwitchboard switchboard, Tenant tenant, String body) {
    HttpResponse<String> created =
        switchboard.post("/api/v1/keys", tenant.managementKey(), body, Map.of());
    assertThat(created.statusCode()).as(body + " → " + created.body()).isEqualTo(201);
    JsonNode answer = ExactJson.parse(created.body());
    return new CreatedKey(answer.path("data").path("hash").asText(), answer.path("key").asText());
  }

  private static List<JsonNode> keys(RunningSwitchboard switchboard, Tenant tenant) {
    HttpResponse<String> list = switchboard.get("/api/v1/keys", tenant.managementKey());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    List<JsonNode> keys = new java.util.ArrayList<>();
    ExactJson.parse(list.body()).path("data").forEach(keys::add);
    return keys;
  }

  private static JsonNode readKey(RunningSwitchboard switchboard, Tenant tenant, String hash) {
    HttpResponse<String> read = switchboard.get("/api/v1/keys/" + hash, tenant.managementKey());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    return ExactJson.parse(read.body()).path("data");
  }

  private static JsonNode keyInfo(RunningSwitchboard switchboard, String key) {
    HttpResponse<String> self = switchboard.get("/api/v1/key", key);
    assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    return ExactJson.parse(self.body()).path("data");
  }

  private static JsonNode patch(
      RunningSwitchboard switchboard, Tenant tenant, String hash, String body) {
    HttpResponse<String> patched = patchResponse(switchboard, tenant.managementKey(), hash, body);
    assertThat(patched.statusCode()).as(body + " → " + patched.body()).isEqualTo(200);
    return ExactJson.parse(patched.body()).path("data");
  }

  private static HttpResponse<String> patchResponse(
      RunningSwitchboard switchboard, String bearer, String hash, String body) {
    return switchboard.patch("/api/v1/keys/" + hash, bearer, body);
  }

  private static HttpResponse<String> delete(
      RunningSwitchboard switchboard, String bearer, String hash) {
    return switchboard.delete("/api/v1/keys/" + hash, bearer);
  }

  private static HttpResponse<String> withAuthorization(
      RunningSwitchboard switchboard, String path, String header) {
    return switchboard.send(
        HttpRequest.newBuilder(switchboard.uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", header)
            .GET()
            .build());
  }

  static HttpResponse<String> chat(RunningSwitchboard switchboard, String key, int maxTokens) {
    return switchboard.post(
        "/api/v1/chat/completions",
        key,
        "{\"model\":\""
            + MODEL
            + "\",\"max_tokens\":"
            + maxTokens
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Name a river.\"}]}",
        Map.of());
  }

  private static HttpResponse<String> freeChat(
      RunningSwitchboard switchboard, String key, String model) {
    return switchboard.post(
        "/api/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Name a"
            + " river.\"}]}",
        Map.of());
  }

  private static String withWrongChecksum(String key) {
    char last = key.charAt(key.length() - 1);
    return key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');
  }

  /**
   * The documented key shape ({@code sk-sb-v1-} + 64 hex digits + CRC-32 of them), but never
   * issued.
   */
  private static String wellFormedKeyNobodyWasGiven() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String body = HexFormat.of().formatHex(random);
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    return "sk-sb-v1-" + body + String.format("%08x", crc.getValue());
  }

  @Test
  void providerKeyIsSetListedRotatedAndDeletedWithoutItsSecretInAnyAnswerOrRow(
      RunningSwitchboard switchboard) throws Exception {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String canary = "sk-byok-canary-" + HexFormat.of().formatHex(randomBytes(16));
    String path = "/api/v1/byok/sim-openai";

    HttpResponse<String> set =
        switchboard.put(
            path, tenant.managementKey(), "{\"api_key\":\"" + canary + "\",\"always_use\":true}");

    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).doesNotContain(canary);
    JsonNode data = ExactJson.parse(set.body()).path("data");
    assertThat(data.path("provider").asText()).isEqualTo("sim-openai");
    assertThat(data.path("last4").asText()).isEqualTo(canary.substring(canary.length() - 4));
    assertThat(data.path("always_use").asBoolean(false)).isTrue();
    assertThat(data.path("base_url").isNull()).as(set.body()).isTrue();
    String createdAt = data.path("created_at").asText();
    assertThat(createdAt).isNotBlank();

    HttpResponse<String> list = switchboard.get("/api/v1/byok", tenant.managementKey());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(canary);
    JsonNode listed = ExactJson.parse(list.body()).path("data");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("provider").asText()).isEqualTo("sim-openai");
    assertThat(listed.get(0).path("last4").asText()).isEqualTo(data.path("last4").asText());
    assertRowHoldsNoPlaintext(switchboard, tenant, canary);

    // PUT again rotates the same row: a new secret, a new ciphertext, the same creation time
    String ciphertextBefore =
        switchboard.queryString(
            "SELECT encode(secret_ciphertext, 'hex') FROM provider_keys WHERE org_id = ?::uuid",
            tenant.id());
    String rotatedSecret = "sk-byok-rotated-" + HexFormat.of().formatHex(randomBytes(16));
    HttpResponse<String> rotated =
        switchboard.put(path, tenant.managementKey(), "{\"api_key\":\"" + rotatedSecret + "\"}");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.body()).doesNotContain(rotatedSecret).doesNotContain(canary);
    JsonNode rotatedData = ExactJson.parse(rotated.body()).path("data");
    assertThat(rotatedData.path("created_at").asText()).isEqualTo(createdAt);
    assertThat(rotatedData.path("always_use").asBoolean(true)).isFalse();
    assertThat(rotatedData.path("last4").asText())
        .isEqualTo(rotatedSecret.substring(rotatedSecret.length() - 4));
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM provider_keys WHERE org_id = ?::uuid", tenant.id()))
        .isEqualTo(1);
    assertThat(
            switchboard.queryString(
                "SELECT encode(secret_ciphertext, 'hex') FROM provider_keys WHERE org_id = ?::uuid",
                tenant.id()))
        .isNotEqualTo(ciphertextBefore);
    assertRowHoldsNoPlaintext(switchboard, tenant, rotatedSecret);

    HttpResponse<String> deleted = switchboard.delete(path, tenant.managementKey());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertError(switchboard.delete(path, tenant.managementKey()), 404, "deleted twice");
    assertThat(
            ExactJson.parse(switchboard.get("/api/v1/byok", tenant.managementKey()).body())
                .path("data"))
        .isEmpty();
    assertError(
        switchboard.put(
            "/api/v1/byok/no-such-provider", tenant.managementKey(), "{\"api_key\":\"sk-x\"}"),
        404,
        "unknown provider");
    // without SWITCHBOARD_MASTER_KEY the master key was generated into the data directory,
    // owner-only
    Path masterKey = switchboard.dataDir().resolve("secrets").resolve("byok-master-key");
    assertThat(Files.getPosixFilePermissions(masterKey))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    String masterKeyText = Files.readString(masterKey).strip();
    assertThat(Base64.getDecoder().decode(masterKeyText)).hasSize(32);
    assertThat(switchboard.logText())
        .doesNotContain(canary)
        .doesNotContain(rotatedSecret)
        .doesNotContain(masterKeyText);
  }

  @Test
  void loopbackSpelledBaseUrlsAreRefusedAndNothingIsStored(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");

    for (String baseUrl :
        List.of(
            "https://127.1/",
            "https://2130706433/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost./",
            "https://0x7f.1/",
            "https://0177.0.0.1/",
            "https://[::1]/",
            "https://169.254.169.254/",
            "http://8.8.8.8/",
            "https://user:pass@8.8.8.8/",
            "https://8.8.8.8/#fragment")) {
      HttpResponse<String> refused =
          switchboard.put(
              "/api/v1/byok/sim-openai",
              tenant.managementKey(),
              "{\"api_key\":\"sk-byok-ssrf\",\"base_url\":\"" + baseUrl + "\"}");
      assertError(refused, 400, baseUrl);
      assertThat(refused.body()).as(baseUrl).doesNotContain("sk-byok-ssrf");
    }
    assertThat(
            switchboard.queryLong(
                "SELECT count(*) FROM provider_keys WHERE org_id = ?::uuid", tenant.id()))
        .isZero();
    assertThat(
            ExactJson.parse(switchboard.get("/api/v1/byok", tenant.managementKey()).body())
                .path("data"))
        .isEmpty();
  }

  /** Every column of the organization's provider key rows, as text, lacks the secret. */
  private static void assertRowHoldsNoPlaintext(
      RunningSwitchboard switchboard, Tenant tenant, String secret) {
    String row =
        switchboard.queryString(
            "SELECT string_agg(t::text || encode(t.secret_ciphertext, 'escape'), '|')"
                + " FROM provider_keys t WHERE org_id = ?::uuid",
            tenant.id());
    String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
    assertThat(row).isNotBlank().doesNotContain(secret).doesNotContain(hex);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
