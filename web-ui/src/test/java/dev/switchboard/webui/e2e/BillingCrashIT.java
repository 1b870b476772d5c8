package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An instance killed (SIGKILL) while 1,000 chat requests, streamed and not, run 64 at a time: every
 * request that got its whole answer (a 200 with its usage, or a stream through {@code [DONE]}) has,
 * after the restart, its generation record and its exact debit, because an answer ends only once
 * its billing is committed; the organization's balance is its grant less the cost of its
 * generations, the dead instance's lease is released after its expiry, and the books agree.
 */
class BillingCrashIT {

  private static final int REQUESTS = 1_000;
  private static final int KILL_AFTER_ANSWERS = 400;
  private static final int CONCURRENT = 64;
  private static final long NANOS_PER_USD = 1_000_000_000L;

  @Test
  void everyAnsweredRequestIsBilledThoughTheInstanceIsKilledWhileRequestsRun() throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-billing-crash");
    Map<String, String> env = Map.of("SWITCHBOARD_LEASE_SECONDS", "5");
    RunningSwitchboard first = RunningSwitchboard.start(env, dataDir);
    Tenant tenant;
    Map<String, Long> answered = new ConcurrentHashMap<>(); // generation id -> cost in nanos
    AtomicInteger cut = new AtomicInteger();
    try {
      tenant = Tenant.withCredits(first, "1000.00");
      URI chat = first.uri("/api/v1/chat/completions");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      AtomicInteger answers = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        boolean stream = i % 2 == 0;
        HttpRequest request = chatRequest(chat, tenant.managementKey(), stream, i);
        sent.add(
            pool.submit(
                () -> {
                  try {
                    HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    WholeAnswer.of(response, stream)
                        .ifPresentOrElse(
                            usage -> answered.put(usage.id(), usage.costNanos()),
                            cut::incrementAndGet);
                    if (answers.incrementAndGet() == KILL_AFTER_ANSWERS) {
                      first.kill();
                    }
                  } catch (IOException gone) {
                    cut.incrementAndGet(); // refused, or cut by the kill
                  }
                  return null;
                }));
      }
      for (Future<?> request : sent) {
        request.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
    } finally {
      first.kill();
    }
    assertThat(answered.size()).as("whole answers before the kill").isGreaterThanOrEqualTo(300);
    assertThat(cut.get()).as("requests the kill cut or refused").isPositive();

    RunningSwitchboard second = RunningSwitchboard.start(env, dataDir);
    try {
      for (Map.Entry<String, Long> generation : answered.entrySet()) {
        assertThat(
                second.queryLong(
                    "SELECT coalesce(sum(cost_nanos), -1) FROM generations WHERE id = ?",
                    generation.getKey()))
            .as("generation record of %s", generation.getKey())
            .isEqualTo(generation.getValue());
        assertThat(
                second.queryLong(
                    "SELECT coalesce(-sum(e.amount_nanos), -1) FROM ledger_transactions t"
                        + " JOIN ledger_entries e ON e.transaction_id = t.id"
                        + " JOIN ledger_accounts a ON a.id = e.account_id"
                        + " AND a.kind = 'org_credits'"
                        + " WHERE t.kind = 'usage' AND t.idempotency_key = 'usage:' || ?",
                    generation.getKey()))
            .as("debit of %s", generation.getKey())
            .isEqualTo(generation.getValue());
      }
      long spent =
          second.queryLong(
              "SELECT coalesce(sum(cost_nanos), 0) FROM generations WHERE org_id = ?::uuid",
              tenant.id());
      assertThat(spent).isGreaterThanOrEqualTo(answered.values().stream().mapToLong(c -> c).sum());
      assertThat(
              second.queryLong(
                  "SELECT balance_nanos FROM ledger_accounts WHERE org_id = ?::uuid"
                      + " AND kind = 'org_credits'",
                  tenant.id()))
          .isEqualTo(1000 * NANOS_PER_USD - spent);
      Awaitility.await("the dead instance's lease released after its expiry")
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  second.queryLong(
                          "SELECT count(*) FROM reservations WHERE org_id = ?::uuid", tenant.id())
                      == 0);
      HttpResponse<String> books =
          second.get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN);
      assertThat(Tenant.parse(books.body()).path("data").path("clean").asBoolean())
          .as(books.body())
          .isTrue();
    } finally {
      second.close();
    }
  }

  private static HttpRequest chatRequest(URI chat, String key, boolean stream, int i) {
    String body =
        "{\"model\":\"openai/gpt-4o-mini\",\"stream\":"
            + stream
            + ",\"max_tokens\":24,\"messages\":[{\"role\":\"user\",\"content\":\"Say something,"
            + " number "
            + i
            + "\"}]}";
    return HttpRequest.newBuilder(chat)
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
