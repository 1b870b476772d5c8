package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.accounts.User;
import dev.switchboard.payments.stripe.FakeStripe;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Stripe's webhooks against the built jar, with the process killed while they arrive: 1,000 paid
 * checkouts, each event delivered 5 times, concurrently and shuffled; after 1,500 deliveries were
 * answered the process is killed (SIGKILL, with about thirty deliveries received and not yet
 * answered, some of them inside their transaction), restarted on the same data directory, and every
 * delivery that got no 2xx is delivered again, as Stripe retries. Every purchase is credited
 * exactly once, to the nano-dollar, and the books agree.
 */
class WebhookCrashIT {

  private static final int PURCHASES = 1_000;
  private static final int DELIVERIES_PER_EVENT = 5;
  private static final int KILL_AFTER_ANSWERS = 1_500;
  private static final int CONCURRENT = 32;

  @Test
  void everyPurchaseIsCreditedExactlyOnceThoughTheProcessIsKilledWhileWebhooksArrive()
      throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-webhook-crash");
    try (FakeStripe stripe = FakeStripe.start(Clock.systemUTC())) {
      Map<String, String> env =
          Map.of(
              "STRIPE_SECRET_KEY", FakeStripe.SECRET_KEY,
              "STRIPE_WEBHOOK_SECRET", FakeStripe.WEBHOOK_SECRET,
              "SWITCHBOARD_STRIPE_API_BASE", stripe.apiBase());
      RunningSwitchboard first = RunningSwitchboard.start(env, dataDir);
      User buyer;
      long expectedNanos;
      List<FakeStripe.Delivery> deliveries = new ArrayList<>();
      Queue<FakeStripe.Delivery> unanswered = new ConcurrentLinkedQueue<>();
      AtomicInteger inFlightAtKill = new AtomicInteger();
      try {
        buyer = new People(first).verified("many-" + UUID.randomUUID() + "@example.com");
        expectedNanos = openPaidCheckouts(first, stripe, buyer, deliveries);
        Collections.shuffle(deliveries, new Random(8));

        URI webhook = first.uri("/api/v1/webhooks/stripe");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        List<Future<?>> sent = new ArrayList<>();
        for (FakeStripe.Delivery delivery : deliveries) {
          sent.add(
              pool.submit(
                  () -> {
                    try {
                      HttpResponse<String> response =
                          http.send(post(webhook, delivery), ofString());
                      if (response.statusCode() / 100 != 2) {
                        unanswered.add(delivery);
                      }
                      if (answered.incrementAndGet() == KILL_AFTER_ANSWERS) {
                        first.kill();
                      }
                    } catch (ConnectException refused) {
                      unanswered.add(delivery); // the process is gone: Stripe tries again later
                    } catch (IOException cut) {
                      inFlightAtKill.incrementAndGet(); // received, never answered
                      unanswered.add(delivery);
                    }
                    return null;
                  }));
        }
        for (Future<?> delivery : sent) {
          delivery.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
      } finally {
        first.kill();
      }
      assertThat(inFlightAtKill.get()).as("deliveries cut by the kill").isPositive();
      assertThat(unanswered).as("deliveries left for the retry").isNotEmpty();

      RunningSwitchboard second = RunningSwitchboard.start(env, dataDir);
      try {
        URI webhook = second.uri("/api/v1/webhooks/stripe");
        for (FakeStripe.Delivery again : unanswered) {
          // Stripe signs each retry anew, with the time it is sent
          assertThat(stripe.deliver(webhook, stripe.signed(again.payload())).statusCode())
              .isEqualTo(200);
        }
        String org = buyer.personalOrgId().toString();
        assertThat(
                second.queryLong(
                    "SELECT count(*) FROM stripe_checkouts WHERE org_id = ?::uuid"
                        + " AND state = 'credited'",
                    org))
            .isEqualTo(PURCHASES);
        assertThat(
                second.queryLong(
                    "SELECT count(*) FROM ledger_transactions WHERE org_id = ?::uuid"
                        + " AND kind = 'purchase'",
                    org))
            .as("one ledger transaction per purchase")
            .isEqualTo(PURCHASES);
        assertThat(
                second.queryLong(
                    "SELECT balance_nanos FROM ledger_accounts WHERE org_id = ?::uuid"
                        + " AND kind = 'org_credits'",
                    org))
            .isEqualTo(expectedNanos);
        assertThat(second.queryLong("SELECT count(*) FROM stripe_webhook_events"))
            .isEqualTo(PURCHASES);
        HttpResponse<String> books =
            second.get("/api/v1/operator/reconciliation", RunningSwitchboard.OPERATOR_TOKEN);
        assertThat(Tenant.parse(books.body()).path("data").path("clean").asBoolean())
            .as(books.body())
            .isTrue();
      } finally {
        second.close();
      }
    }
  }

  /**
   * Writes {@link #PURCHASES} open checkout records of the buyer's organization, as starting them
   * would, each with a session the fake has paid, and returns the credits they add up to; {@code
   * deliveries} gets each one's completed event {@link #DELIVERIES_PER_EVENT} times.
   */
  private static long openPaidCheckouts(
      RunningSwitchboard switchboard,
      FakeStripe stripe,
      User buyer,
      List<FakeStripe.Delivery> deliveries)
      throws SQLException {
    long expected = 0;
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = switchboard.database();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO stripe_checkouts (id, org_id, created_by, credits_nanos, fee_nanos,"
                    + " total_nanos, currency, idempotency_key, stripe_session_id, checkout_url,"
                    + " state, created_at, opened_at) VALUES (?, ?, ?, ?, ?, ?, 'usd', ?, ?, ?,"
                    + " 'open', ?, ?)")) {
      for (int i = 0; i < PURCHASES; i++) {
        UUID id = UUID.randomUUID();
        long creditsCents = 500 + i; // $5.00 to $14.99: every amount different
        long feeCents = 80;
        String session = stripe.paidSession(id.toString(), creditsCents + feeCents);
        insert.setObject(1, id);
        insert.setObject(2, buyer.personalOrgId().value());
        insert.setObject(3, buyer.id().value());
        insert.setLong(4, creditsCents * 10_000_000L);
        insert.setLong(5, feeCents * 10_000_000L);
        insert.setLong(6, (creditsCents + feeCents) * 10_000_000L);
        insert.setString(7, "checkout-" + id);
        insert.setString(8, session);
        insert.setString(9, stripe.apiBase() + "/pay/" + session);
        insert.setTimestamp(10, now);
        insert.setTimestamp(11, now);
        insert.addBatch();
        expected += creditsCents * 10_000_000L;
        FakeStripe.Delivery completed = stripe.event("checkout.session.completed", session);
        for (int d = 0; d < DELIVERIES_PER_EVENT; d++) {
          deliveries.add(completed);
        }
      }
      insert.executeBatch();
    }
    return expected;
  }

  private static HttpRequest post(URI endpoint, FakeStripe.Delivery delivery) {
    return HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Stripe-Signature", delivery.signature())
        .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
        .build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
