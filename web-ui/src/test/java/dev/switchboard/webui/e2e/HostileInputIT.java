package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Hostile request bodies (reliability.md, "Hostile inputs") against the built jar: each is refused
 * with a 4xx in the contract's error shape and no trace of the server's insides, and the whole
 * batch changes no row of any table and no credit. Bodies go over the wire as raw bytes, so invalid
 * UTF-8 really is invalid.
 */
@ExtendWith(SwitchboardExtension.class)
class HostileInputIT {

  private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
  private static final String CHAT = "/api/v1/chat/completions";
  private static final String MESSAGE = "[{\"role\":\"user\",\"content\":\"Name a river.\"}]";
  private static final String VALID_CHAT =
      "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,\"messages\":" + MESSAGE + "}";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** A hostile request and the statuses the contract allows for it. */
  record Hostile(
      String name,
      String path,
      String bearer,
      Map<String, String> headers,
      byte[] body,
      Set<Integer> allowed) {}

  /** What came back for a hostile request: an answer, or the transport failure instead of one. */
  record Outcome(Hostile request, HttpResponse<String> response, Exception failure) {}

  @Test
  void hostileBodiesAreRefusedInTheErrorShapeAndChangeNothing(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "5.00");
    String key = tenant.managementKey();
    List<Hostile> batch = hostileBatch(tenant, key);
    BigDecimal creditsBefore = totalCredits(tenant);
    BigDecimal balanceBefore = tenant.balance();
    // the instance is shared: a request an earlier test made may still be settling
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> switchboard.queryLong("SELECT count(*) FROM reservations") == 0);
    Map<String, Long> rowsBefore = switchboard.tableRowCounts();

    List<Outcome> outcomes = new ArrayList<>();
    for (Hostile hostile : batch) {
      outcomes.add(send(switchboard, hostile));
    }

    Map<String, Long> rowsAfter = switchboard.tableRowCounts();
    List<Executable> checks = new ArrayList<>();
    checks.add(
        () ->
            assertThat(rowsAfter)
                .as("row counts of every table after the batch")
                .isEqualTo(rowsBefore));
    checks.add(
        () ->
            assertThat(totalCredits(tenant))
                .as("total_credits")
                .isEqualByComparingTo(creditsBefore));
    checks.add(
        () -> assertThat(tenant.balance()).as("balance").isEqualByComparingTo(balanceBefore));
    outcomes.forEach(outcome -> checks.add(() -> assertRefused(outcome)));
    // the instance still serves an honest request after all of it
    checks.add(() -> assertThat(switchboard.get("/api/v1/key", key).statusCode()).isEqualTo(200));
    assertAll("hostile input", checks.stream());
  }

  private List<Hostile> hostileBatch(Tenant tenant, String key) {
    List<Hostile> batch = new ArrayList<>();
    String credits = "/api/v1/operator/organizations/" + tenant.id() + "/credits";

    // size
    batch.add(chat("body over 10 MiB (Content-Length)", key, oversizedChat(), 413));
    batch.add(
        new Hostile(
            "body over 10 MiB (chunked)",
            CHAT,
            key,
            Map.of("X-E2E-Chunked", "true"),
            oversizedChat(),
            Set.of(413)));
    batch.add(
        new Hostile(
            "gzip bomb (Content-Encoding: gzip, 20 MB of '[')",
            CHAT,
            key,
            Map.of("Content-Encoding", "gzip"),
            gzipBomb(),
            Set.of(400, 413, 415)));
    batch.add(chat("100,001 messages under the size limit", key, manyMessages(100_001), 400));

    // structure and encoding
    batch.add(
        chat(
            "array nested 10,000 deep",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":"
                    + "[".repeat(10_000)
                    + "]".repeat(10_000)
                    + "}"),
            400));
    batch.add(
        chat(
            "object nested 10,000 deep",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":"
                    + MESSAGE
                    + ",\"response_format\":"
                    + "{\"a\":".repeat(10_000)
                    + "1"
                    + "}".repeat(10_000)
                    + "}"),
            400));
    batch.add(
        chat("invalid UTF-8 (C3 28) in content", key, withBytes((byte) 0xC3, (byte) 0x28), 400));
    batch.add(
        chat("invalid UTF-8 (FF FE) in content", key, withBytes((byte) 0xFF, (byte) 0xFE), 400));
    batch.add(
        chat(
            "UTF-8-encoded surrogate (ED A0 80) in content",
            key,
            withBytes((byte) 0xED, (byte) 0xA0, (byte) 0x80),
            400));
    batch.add(
        chat(
            "truncated UTF-8 sequence (E2 82) in content",
            key,
            withBytes((byte) 0xE2, (byte) 0x82),
            400));
    batch.add(
        chat(
            "lone surrogate \\ud800 in content",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}"),
            400));
    batch.add(
        chat(
            "lone low surrogate \\udc00 in content",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"\\udc00\"}]}"),
            400));
    batch.add(
        chat(
            "duplicate JSON keys",
            key,
            utf8(
                "{\"model\":\"nobody/cheap\",\"model\":\"openai/gpt-4o-mini\",\"messages\":"
                    + MESSAGE
                    + "}"),
            400));
    batch.add(chat("trailing garbage after the JSON", key, utf8(VALID_CHAT + " garbage"), 400));
    batch.add(
        chat("a second JSON object after the first", key, utf8(VALID_CHAT + VALID_CHAT), 400));
    batch.add(chat("empty body", key, new byte[0], 400));
    batch.add(chat("JSON array body", key, utf8("[" + VALID_CHAT + "]"), 400));
    batch.add(chat("JSON string body", key, utf8("\"hello\""), 400));
    batch.add(chat("JSON null body", key, utf8("null"), 400));
    batch.add(
        chat(
            "unterminated JSON", key, utf8(VALID_CHAT.substring(0, VALID_CHAT.length() - 3)), 400));

    // numbers
    batch.add(chat("NaN temperature", key, chatWith("\"temperature\":NaN"), 400));
    batch.add(chat("Infinity temperature", key, chatWith("\"temperature\":Infinity"), 400));
    batch.add(chat("1e309 temperature", key, chatWith("\"temperature\":1e309"), 400));
    batch.add(
        chat(
            "a 1,000-digit max_tokens", key, chatWith("\"max_tokens\":" + "9".repeat(1_000)), 400));
    batch.add(chat("negative max_tokens", key, chatWith("\"max_tokens\":-1"), 400));
    batch.add(chat("max_tokens 0", key, chatWith("\"max_tokens\":0"), 400));
    batch.add(chat("max_tokens as a string", key, chatWith("\"max_tokens\":\"10\""), 400));
    batch.add(chat("fractional max_tokens", key, chatWith("\"max_tokens\":1.5"), 400));
    batch.add(
        chat(
            "max_tokens beyond a long", key, chatWith("\"max_tokens\":99999999999999999999"), 400));
    batch.add(chat("n: 2", key, chatWith("\"n\":2"), 400));

    // messages
    batch.add(
        chat(
            "empty messages",
            key,
            utf8("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}"),
            400));
    batch.add(
        chat(
            "messages as a string",
            key,
            utf8("{\"model\":\"openai/gpt-4o-mini\",\"messages\":\"hi\"}"),
            400));
    batch.add(
        chat(
            "messages as an object",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":{\"role\":\"user\",\"content\":\"hi\"}}"),
            400));
    batch.add(chat("missing messages", key, utf8("{\"model\":\"openai/gpt-4o-mini\"}"), 400));
    batch.add(
        chat(
            "unknown role",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"root\",\"content\":\"hi\"}]}"),
            400));
    batch.add(
        chat(
            "message without content",
            key,
            utf8("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\"}]}"),
            400));
    batch.add(
        chat(
            "content as a number",
            key,
            utf8(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":42}]}"),
            400));

    // models
    batch.add(chat("missing model", key, utf8("{\"messages\":" + MESSAGE + "}"), 400));
    batch.add(
        chat(
            "unknown model",
            key,
            utf8("{\"model\":\"nobody/no-such-model\",\"messages\":" + MESSAGE + "}"),
            400));
    batch.add(
        chat(
            "model ../../etc/passwd",
            key,
            utf8("{\"model\":\"../../etc/passwd\",\"messages\":" + MESSAGE + "}"),
            400));
    batch.add(
        chat(
            "model as an object",
            key,
            utf8("{\"model\":{\"id\":\"openai/gpt-4o-mini\"},\"messages\":" + MESSAGE + "}"),
            400));

    // smuggled fields
    batch.add(
        chat(
            "smuggled api_base",
            key,
            chatWith("\"api_base\":\"http://169.254.169.254/latest\""),
            400));
    batch.add(
        chat("smuggled base_url", key, chatWith("\"base_url\":\"http://127.0.0.1:1/v1\""), 400));
    batch.add(
        chat(
            "smuggled tenant_id",
            key,
            chatWith("\"tenant_id\":\"" + UUID.randomUUID() + "\""),
            400));
    batch.add(chat("smuggled balance", key, chatWith("\"balance\":\"1000000\""), 400));

    // credentials
    // a bad key (401); a header too large for the server may instead be 431, but still in the error
    // shape
    batch.add(
        new Hostile(
            "chat: 10 KB bearer token",
            CHAT,
            "sk-sb-v1-" + "a".repeat(10 * 1024),
            Map.of(),
            utf8(VALID_CHAT),
            Set.of(401, 431)));

    // the other inference endpoints
    batch.add(
        new Hostile(
            "messages: nested 10,000 deep",
            "/api/v1/messages",
            key,
            Map.of(),
            utf8(
                "{\"model\":\"anthropic/claude-3.5-haiku\",\"max_tokens\":5,\"messages\":"
                    + "[".repeat(10_000)
                    + "]".repeat(10_000)
                    + "}"),
            Set.of(400)));
    batch.add(
        new Hostile(
            "messages: invalid UTF-8",
            "/api/v1/messages",
            key,
            Map.of(),
            withBytes((byte) 0xC3, (byte) 0x28),
            Set.of(400)));
    batch.add(
        new Hostile(
            "completions: prompt as an object",
            "/api/v1/completions",
            key,
            Map.of(),
            utf8("{\"model\":\"openai/gpt-4o-mini\",\"prompt\":{\"a\":1}}"),
            Set.of(400)));
    batch.add(
        new Hostile(
            "completions: trailing garbage",
            "/api/v1/completions",
            key,
            Map.of(),
            utf8("{\"model\":\"openai/gpt-4o-mini\",\"prompt\":\"hi\"}}"),
            Set.of(400)));

    // the keys API
    batch.add(
        keys(
            "keys: nested 10,000 deep",
            key,
            utf8("{\"name\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
            400));
    batch.add(
        keys(
            "keys: invalid UTF-8 in name",
            key,
            bytes(utf8("{\"name\":\"a"), new byte[] {(byte) 0xC3, 0x28}, utf8("\"}")),
            400));
    batch.add(keys("keys: NUL character in name", key, utf8("{\"name\":\"a\\u0000b\"}"), 400));
    batch.add(keys("keys: duplicate name keys", key, utf8("{\"name\":\"a\",\"name\":\"b\"}"), 400));
    batch.add(
        keys(
            "keys: smuggled org_id",
            key,
            utf8("{\"name\":\"a\",\"org_id\":\"" + UUID.randomUUID() + "\"}"),
            400));
    batch.add(keys("keys: smuggled usage", key, utf8("{\"name\":\"a\",\"usage\":-100}"), 400));
    batch.add(keys("keys: limit 1e400", key, utf8("{\"name\":\"a\",\"limit\":1e400}"), 400));
    batch.add(keys("keys: JSON array", key, utf8("[{\"name\":\"a\"}]"), 400));
    batch.add(keys("keys: trailing garbage", key, utf8("{\"name\":\"a\"} x"), 400));
    batch.add(keys("keys: empty body", key, new byte[0], 400));
    batch.add(
        keys(
            "keys: body over 10 MiB",
            key,
            bytes(utf8("{\"name\":\""), filler(MAX_BODY_BYTES), utf8("\"}")),
            413));

    // the operator's credits endpoint
    batch.add(
        grant(
            "credits: nested 10,000 deep",
            credits,
            utf8("{\"amount\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
            400));
    batch.add(
        grant(
            "credits: invalid UTF-8 in reason",
            credits,
            bytes(
                utf8("{\"amount\":\"1.00\",\"reason\":\""), new byte[] {(byte) 0xFF}, utf8("\"}")),
            400));
    batch.add(
        grant(
            "credits: NUL character in reason",
            credits,
            utf8("{\"amount\":\"1.00\",\"reason\":\"a\\u0000b\"}"),
            400));
    batch.add(
        new Hostile(
            "operator: NUL character in an organization's name",
            "/api/v1/operator/organizations",
            RunningSwitchboard.OPERATOR_TOKEN,
            Map.of(),
            utf8("{\"name\":\"a\\u0000b\"}"),
            Set.of(400)));
    batch.add(
        grant(
            "credits: duplicate amount keys",
            credits,
            utf8("{\"amount\":\"1.00\",\"amount\":\"1000.00\"}"),
            400));
    batch.add(
        grant(
            "credits: smuggled balance",
            credits,
            utf8("{\"amount\":\"1.00\",\"balance\":\"1000000\"}"),
            400));
    batch.add(grant("credits: NaN amount", credits, utf8("{\"amount\":NaN}"), 400));
    batch.add(grant("credits: 1e400 amount", credits, utf8("{\"amount\":1e400}"), 400));
    batch.add(
        grant(
            "credits: trailing garbage",
            credits,
            utf8("{\"amount\":\"1.00\"}{\"amount\":\"1.00\"}"),
            400));
    batch.add(grant("credits: JSON array", credits, utf8("[{\"amount\":\"1.00\"}]"), 400));
    batch.add(
        grant(
            "credits: body over 10 MiB",
            credits,
            bytes(utf8("{\"amount\":\"1.00\",\"reason\":\""), filler(MAX_BODY_BYTES), utf8("\"}")),
            413));

    // auto top-up (PUT): the body is checked before the role, so a management key meets the parser
    batch.add(
        autoTopUp(
            "auto top-up: nested 10,000 deep",
            key,
            utf8("{\"amount\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: invalid UTF-8 in a field name",
            key,
            bytes(utf8("{\"enabled\":false,\""), new byte[] {(byte) 0xC3, 0x28}, utf8("\":1}")),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: duplicate amount keys",
            key,
            utf8("{\"enabled\":true,\"threshold\":1,\"amount\":20,\"amount\":9999}"),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: 1e400 threshold",
            key,
            utf8("{\"enabled\":true,\"threshold\":1e400,\"amount\":20}"),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: NaN amount",
            key,
            utf8("{\"enabled\":true,\"threshold\":1,\"amount\":NaN}"),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: smuggled org_id",
            key,
            utf8(
                "{\"enabled\":false,\"threshold\":1,\"amount\":20,\"org_id\":\""
                    + UUID.randomUUID()
                    + "\"}"),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: trailing garbage",
            key,
            utf8("{\"enabled\":false,\"threshold\":1,\"amount\":20} x"),
            400));
    batch.add(
        autoTopUp(
            "auto top-up: body over 10 MiB",
            key,
            bytes(utf8("{\"enabled\":\""), filler(MAX_BODY_BYTES), utf8("\"}")),
            413));

    // provider keys (PUT): every refusal is 400 and stores nothing, and no base_url is connected to
    batch.add(byok("byok: malformed JSON", key, utf8("{\"api_key\":"), 400));
    batch.add(byok("byok: JSON array", key, utf8("[{\"api_key\":\"sk-x\"}]"), 400));
    batch.add(byok("byok: empty body", key, new byte[0], 400));
    batch.add(
        byok("byok: unknown field", key, utf8("{\"api_key\":\"sk-x\",\"org_id\":\"x\"}"), 400));
    batch.add(byok("byok: api_key a number", key, utf8("{\"api_key\":12345}"), 400));
    batch.add(byok("byok: api_key an object", key, utf8("{\"api_key\":{\"k\":\"v\"}}"), 400));
    batch.add(byok("byok: api_key missing", key, utf8("{\"always_use\":true}"), 400));
    batch.add(byok("byok: api_key null", key, utf8("{\"api_key\":null}"), 400));
    batch.add(byok("byok: api_key empty", key, utf8("{\"api_key\":\"\"}"), 400));
    batch.add(byok("byok: api_key blank", key, utf8("{\"api_key\":\"   \"}"), 400));
    batch.add(
        byok(
            "byok: api_key over 4 KiB",
            key,
            bytes(utf8("{\"api_key\":\""), filler(4097), utf8("\"}")),
            400));
    batch.add(
        byok(
            "byok: api_key with a line break", key, utf8("{\"api_key\":\"sk-a\\r\\nX: y\"}"), 400));
    batch.add(byok("byok: api_key with NUL", key, utf8("{\"api_key\":\"sk-a\\u0000\"}"), 400));
    batch.add(byok("byok: api_key with a tab", key, utf8("{\"api_key\":\"sk\\tb\"}"), 400));
    batch.add(
        byok("byok: api_key with a lone surrogate", key, utf8("{\"api_key\":\"sk\\ud800\"}"), 400));
    batch.add(
        byok(
            "byok: always_use a string",
            key,
            utf8("{\"api_key\":\"sk-x\",\"always_use\":\"yes\"}"),
            400));
    batch.add(
        byok("byok: base_url a number", key, utf8("{\"api_key\":\"sk-x\",\"base_url\":1}"), 400));
    batch.add(
        byok("byok: base_url empty", key, utf8("{\"api_key\":\"sk-x\",\"base_url\":\"\"}"), 400));
    for (String url :
        List.of(
            "https://user:secret@8.8.8.8/v1",
            "https://8.8.8.8/v1#fragment",
            "http://8.8.8.8/v1",
            "file:///etc/passwd",
            "gopher://8.8.8.8:70/",
            "https://169.254.169.254/latest/meta-data/",
            "https://127.0.0.1/",
            "https://127.1/",
            "https://0x7f.1/",
            "https://2130706433/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost./",
            "https://10.0.0.1/",
            "https://[fd00::1]/",
            "https://8.8.8.8/" + "a".repeat(2048))) {
      batch.add(
          byok(
              "byok: base_url " + (url.length() > 60 ? url.substring(0, 60) + "…" : url),
              key,
              utf8("{\"api_key\":\"sk-x\",\"base_url\":\"" + url + "\"}"),
              400));
    }
    batch.add(
        byok(
            "byok: duplicate api_key",
            key,
            utf8("{\"api_key\":\"sk-a\",\"api_key\":\"sk-b\"}"),
            400));
    batch.add(
        byok(
            "byok: nested 10,000 deep",
            key,
            utf8("{\"api_key\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
            400));
    batch.add(byok("byok: trailing garbage", key, utf8("{\"api_key\":\"sk-x\"} x"), 400));
    batch.add(
        new Hostile(
            "byok: unknown provider",
            "/api/v1/byok/no-such-provider",
            key,
            Map.of("X-E2E-Method", "PUT"),
            utf8("{\"api_key\":\"sk-x\"}"),
            Set.of(404)));
    return batch;
  }

  private static void assertRefused(Outcome outcome) {
    Hostile hostile = outcome.request();
    assertThat(outcome.failure())
        .as(hostile.name() + ": the server answered instead of dropping the connection")
        .isNull();
    HttpResponse<String> response = outcome.response();
    String body = response.body();
    String description =
        hostile.name() + " → " + response.statusCode() + " " + ExactJson.abbreviate(body);
    assertThat(response.statusCode()).as(description).isIn(hostile.allowed());
    assertThat(body)
        .as(description)
        .doesNotContain("Exception")
        .doesNotContain("at dev.")
        .doesNotContain("at java.");
    JsonNode error;
    try {
      error = ExactJson.parse(body).path("error");
    } catch (UncheckedIOException e) {
      throw new AssertionError(description + ": the body is not JSON");
    }
    assertThat(error.path("code").asInt())
        .as(description + ": error.code")
        .isEqualTo(response.statusCode());
    assertThat(error.path("message").asText()).as(description + ": error.message").isNotBlank();
  }

  private Outcome send(RunningSwitchboard switchboard, Hostile hostile) {
    Map<String, String> headers = new java.util.HashMap<>(hostile.headers());
    boolean chunked = "true".equals(headers.remove("X-E2E-Chunked"));
    String method = java.util.Objects.requireNonNullElse(headers.remove("X-E2E-Method"), "POST");
    HttpRequest.BodyPublisher body =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(hostile.body()))
            : HttpRequest.BodyPublishers.ofByteArray(hostile.body());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(switchboard.uri(hostile.path()))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(method, body);
    if (hostile.bearer() != null) {
      request.header("Authorization", "Bearer " + hostile.bearer());
    }
    headers.forEach(request::header);
    try {
      return new Outcome(
          hostile, http.send(request.build(), HttpResponse.BodyHandlers.ofString()), null);
    } catch (IOException e) {
      return new Outcome(hostile, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Hostile chat(String name, String bearer, byte[] body, int status) {
    return new Hostile("chat: " + name, CHAT, bearer, Map.of(), body, Set.of(status));
  }

  private static Hostile keys(String name, String bearer, byte[] body, int status) {
    return new Hostile(name, "/api/v1/keys", bearer, Map.of(), body, Set.of(status));
  }

  private static Hostile autoTopUp(String name, String bearer, byte[] body, int status) {
    return new Hostile(
        name,
        "/api/v1/credits/auto-top-up",
        bearer,
        Map.of("X-E2E-Method", "PUT"),
        body,
        Set.of(status));
  }

  private static Hostile byok(String name, String bearer, byte[] body, int status) {
    return new Hostile(
        name,
        "/api/v1/byok/sim-openai",
        bearer,
        Map.of("X-E2E-Method", "PUT"),
        body,
        Set.of(status));
  }

  private static Hostile grant(String name, String path, byte[] body, int status) {
    return new Hostile(
        name,
        path,
        RunningSwitchboard.OPERATOR_TOKEN,
        Map.of("Idempotency-Key", "hostile-" + UUID.randomUUID()),
        body,
        Set.of(status));
  }

  private static byte[] chatWith(String extraField) {
    return utf8(
        "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,\"messages\":"
            + MESSAGE
            + ","
            + extraField
            + "}");
  }

  /**
   * A chat request whose only message content holds {@code invalid}, a byte sequence that is not
   * UTF-8.
   */
  private static byte[] withBytes(byte... invalid) {
    return bytes(
        utf8(
            "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a"),
        invalid,
        utf8("b\"}]}"));
  }

  private static byte[] oversizedChat() {
    return bytes(
        utf8(
            "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""),
        filler(MAX_BODY_BYTES),
        utf8("\"}]}"));
  }

  private static byte[] manyMessages(int count) {
    StringBuilder body =
        new StringBuilder("{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,\"messages\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"a\"}");
    }
    byte[] bytes = utf8(body.append("]}").toString());
    assertThat(bytes.length).as("the body stays under the size limit").isLessThan(MAX_BODY_BYTES);
    return bytes;
  }

  private static byte[] gzipBomb() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(utf8("{\"model\":\"openai/gpt-4o-mini\",\"messages\":"));
      byte[] open = new byte[1024 * 1024];
      java.util.Arrays.fill(open, (byte) '[');
      for (int i = 0; i < 20; i++) {
        gzip.write(open);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] filler(int length) {
    byte[] filler = new byte[length];
    java.util.Arrays.fill(filler, (byte) 'a');
    return filler;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static BigDecimal totalCredits(Tenant tenant) {
    HttpResponse<String> credits =
        tenant.switchboard().get("/api/v1/credits", tenant.managementKey());
    assertThat(credits.statusCode()).as(credits.body()).isEqualTo(200);
    return ExactJson.parse(credits.body()).path("data").path("total_credits").decimalValue();
  }
}
