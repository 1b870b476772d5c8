package dev.switchboard.payments.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.Stripe;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local fake of the part of Stripe's API that Switchboard uses, on a loopback port, for the real
 * {@code stripe-java} SDK to talk to: creating and retrieving Checkout sessions (with idempotency
 * keys answered as Stripe does: the same key, the same session), the payment intent and charge a
 * paid session makes, refunds of them (again once per idempotency key, never beyond what was
 * charged), off-session payment intents of saved cards (paid, declined, or left processing and
 * settled later), and events about sessions, charges, disputes and payment intents signed with the
 * test webhook secret exactly as Stripe signs them ({@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, t + "." + payload)>}).
 */
public final class FakeStripe implements AutoCloseable {

  public static final String SECRET_KEY = "sk_test_fake_switchboard";
  public static final String WEBHOOK_SECRET = "whsec_test_fake_switchboard";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The metadata key by which the gateway names an auto top-up on its payment intent. */
  private static final String TOP_UP_METADATA = StripeCheckoutGateway.AUTO_TOP_UP_METADATA;

  /** A signed webhook delivery: the body and its {@code Stripe-Signature} header. */
  public record Delivery(String payload, String signature) {}

  /** A request the fake received: method, path and the idempotency key it carried. */
  public record Received(String method, String path, String idempotencyKey) {}

  private final HttpServer server;
  private final Clock clock;
  private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
  private final Map<String, String> sessionByIdempotencyKey = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresToAnswer = new AtomicInteger();
  private final Map<String, ObjectNode> charges = new ConcurrentHashMap<>();
  private final Map<String, String> chargeByPaymentIntent = new ConcurrentHashMap<>();
  private final Map<String, String> refundByIdempotencyKey = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> refunds = new ConcurrentHashMap<>();
  private final AtomicInteger refundFailures = new AtomicInteger();
  private final AtomicInteger refundRefusals = new AtomicInteger();
  private final Map<String, String> customerByIdempotencyKey = new ConcurrentHashMap<>();
  private final Map<String, List<String>> cardsByCustomer = new ConcurrentHashMap<>();

  /** The answer first given to each idempotency key, replayed as it was then. */
  private final Map<String, String> paymentIntentAnswerByIdempotencyKey = new ConcurrentHashMap<>();

  private final Map<String, ObjectNode> paymentIntents = new ConcurrentHashMap<>();
  private final AtomicInteger paymentIntentFailures = new AtomicInteger();
  private final AtomicInteger paymentIntentAnswersLost = new AtomicInteger();
  private volatile boolean declineSavedCards;
  private volatile boolean leaveSavedCardChargesProcessing;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  private FakeStripe(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/checkout/sessions", this::sessions);
    server.createContext("/v1/refunds", this::refunds);
    server.createContext("/v1/customers", this::customers);
    server.createContext("/v1/payment_intents", this::paymentIntents);
    server.createContext("/pay/", this::checkoutPage);
    server.setExecutor(executor);
    server.start();
  }

  public static FakeStripe start(Clock clock) {
    try {
      return new FakeStripe(clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL to give the SDK ({@code StripeClient.builder().setApiBase}). */
  public String apiBase() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code count} session creations fail with a 500, as a Stripe outage would. */
  public void failNextCreations(int count) {
    failuresToAnswer.set(count);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public int sessionCount() {
    return sessions.size();
  }

  public Optional<ObjectNode> session(String id) {
    return Optional.ofNullable(sessions.get(id)).map(ObjectNode::deepCopy);
  }

  /**
   * A session that a checkout of Switchboard's would have opened (its record's id as the
   * reference), paid at once: for tests that write many checkout records themselves.
   */
  public String paidSession(String clientReferenceId, long amountTotalCents) {
    String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
    ObjectNode session = JSON.createObjectNode();
    session.put("id", id);
    session.put("object", "checkout.session");
    session.put("amount_subtotal", amountTotalCents);
    session.put("amount_total", amountTotalCents);
    session.put("currency", "usd");
    session.put("client_reference_id", clientReferenceId);
    session.put("created", clock.instant().getEpochSecond());
    session.put("livemode", false);
    session.put("mode", "payment");
    session.put("payment_status", "unpaid");
    session.put("status", "open");
    session.put("url", apiBase() + "/pay/" + id);
    session.put("saves_card", false);
    sessions.put(id, session);
    pay(id);
    return id;
  }

  /** The customer pays the session (a card: paid at once). */
  public void pay(String sessionId) {
    ObjectNode session = existing(sessionId);
    synchronized (session) {
      session.put("status", "complete");
      session.put("payment_status", "paid");
      if (!session.hasNonNull("payment_intent")) {
        String paymentIntent = "pi_" + UUID.randomUUID().toString().replace("-", "");
        String chargeId = "ch_" + UUID.randomUUID().toString().replace("-", "");
        ObjectNode charge = JSON.createObjectNode();
        charge.put("id", chargeId);
        charge.put("object", "charge");
        charge.put("amount", session.get("amount_total").asLong());
        charge.put("amount_captured", session.get("amount_total").asLong());
        charge.put("amount_refunded", 0);
        charge.put("currency", session.get("currency").asText());
        charge.put("paid", true);
        charge.put("refunded", false);
        charge.put("status", "succeeded");
        charge.put("payment_intent", paymentIntent);
        charge.put("created", clock.instant().getEpochSecond());
        charges.put(chargeId, charge);
        chargeByPaymentIntent.put(paymentIntent, chargeId);
        ObjectNode intent = JSON.createObjectNode();
        intent.put("id", paymentIntent);
        intent.put("object", "payment_intent");
        intent.put("amount", session.get("amount_total").asLong());
        intent.put("amount_received", session.get("amount_total").asLong());
        intent.put("currency", session.get("currency").asText());
        intent.put("status", "succeeded");
        intent.put("created", clock.instant().getEpochSecond());
        intent.putObject("metadata"); // a session's metadata stays on the session
        paymentIntents.put(paymentIntent, intent);
        session.put("payment_intent", paymentIntent);
        if (session.hasNonNull("customer") && session.path("saves_card").asBoolean()) {
          cardsByCustomer
              .computeIfAbsent(session.get("customer").asText(), c -> new CopyOnWriteArrayList<>())
              .add(0, "pm_" + UUID.randomUUID().toString().replace("-", ""));
        }
      }
    }
  }

  /** Whether charges of saved cards are declined from now ({@code card_declined}). */
  public void declineSavedCards(boolean decline) {
    declineSavedCards = decline;
  }

  /**
   * The next {@code count} payment intents fail with a 500 (Stripe may or may not have charged).
   */
  public void failNextPaymentIntents(int count) {
    paymentIntentFailures.set(count);
  }

  /** The payment intents charged to saved cards, one per idempotency key. */
  public int savedCardCharges() {
    return paymentIntentAnswerByIdempotencyKey.size();
  }

  /**
   * Whether charges of saved cards are left {@code processing} from now: the payment intent is
   * made, and whether it succeeds is known only later ({@link #settlePaymentIntent}).
   */
  public void leaveSavedCardChargesProcessing(boolean processing) {
    leaveSavedCardChargesProcessing = processing;
  }

  /**
   * The answers to the next {@code count} payment intent requests are lost (a 500 after the request
   * was carried out): a new intent is made all the same, and a repeated key replays it.
   */
  public void loseNextPaymentIntentAnswers(int count) {
    paymentIntentAnswersLost.set(count);
  }

  /**
   * The processing payment intent succeeds, or fails with Stripe's {@code card_declined} and {@code
   * failure} as its last payment error.
   */
  public void settlePaymentIntent(String paymentIntentId, boolean succeeded, String failure) {
    ObjectNode intent = existingPaymentIntent(paymentIntentId);
    synchronized (intent) {
      if (succeeded) {
        intent.put("status", "succeeded");
        intent.put("amount_received", intent.get("amount").asLong());
      } else {
        intent.put("status", "requires_payment_method");
        intent
            .putObject("last_payment_error")
            .put("type", "card_error")
            .put("code", "card_declined")
            .put("message", failure);
      }
    }
  }

  /** The payment intent as it is now. */
  public ObjectNode paymentIntent(String paymentIntentId) {
    ObjectNode intent = existingPaymentIntent(paymentIntentId);
    synchronized (intent) {
      return intent.deepCopy();
    }
  }

  /** The payment intent whose metadata names the auto top-up, as the gateway sent it. */
  public String paymentIntentOfTopUp(UUID topUpId) {
    return paymentIntents.values().stream()
        .filter(
            intent ->
                topUpId.toString().equals(intent.path("metadata").path(TOP_UP_METADATA).asText()))
        .map(intent -> intent.get("id").asText())
        .reduce(
            (one, other) -> {
              throw new IllegalStateException("two payment intents of top-up " + topUpId);
            })
        .orElseThrow(
            () -> new IllegalArgumentException("no payment intent names top-up " + topUpId));
  }

  /**
   * A {@code payment_intent.succeeded} or {@code payment_intent.payment_failed} event about the
   * payment intent as it is now, signed now with the test secret.
   */
  public Delivery paymentIntentEvent(String type, String paymentIntentId) {
    return signed(eventPayload(newEventId(), type, paymentIntent(paymentIntentId)));
  }

  private ObjectNode existingPaymentIntent(String paymentIntentId) {
    ObjectNode intent = paymentIntents.get(paymentIntentId);
    if (intent == null) {
      throw new IllegalArgumentException("the fake has no payment intent " + paymentIntentId);
    }
    return intent;
  }

  private void customers(HttpExchange exchange) throws IOException {
    try (exchange) {
      String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      String path = exchange.getRequestURI().getPath();
      if (!admitted(exchange, idempotencyKey)) {
        return;
      }
      if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/customers")) {
        String id =
            idempotencyKey == null
                ? "cus_" + UUID.randomUUID().toString().replace("-", "")
                : customerByIdempotencyKey.computeIfAbsent(
                    idempotencyKey, k -> "cus_" + UUID.randomUUID().toString().replace("-", ""));
        ObjectNode customer = JSON.createObjectNode();
        customer.put("id", id);
        customer.put("object", "customer");
        customer.put("created", clock.instant().getEpochSecond());
        answer(exchange, 200, customer.toString());
      } else if (exchange.getRequestMethod().equals("GET")
          && path.startsWith("/v1/customers/")
          && path.endsWith("/payment_methods")) {
        String customer =
            path.substring("/v1/customers/".length(), path.length() - "/payment_methods".length());
        ObjectNode list = JSON.createObjectNode();
        list.put("object", "list");
        list.put("url", path);
        list.put("has_more", false);
        var data = list.putArray("data");
        for (String card : cardsByCustomer.getOrDefault(customer, List.of())) {
          ObjectNode method = data.addObject();
          method.put("id", card);
          method.put("object", "payment_method");
          method.put("type", "card");
          method.put("customer", customer);
        }
        answer(exchange, 200, list.toString());
      } else {
        answer(exchange, 404, error("invalid_request_error", "Unrecognized request URL"));
      }
    }
  }

  private void paymentIntents(HttpExchange exchange) throws IOException {
    try (exchange) {
      String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (!admitted(exchange, idempotencyKey)) {
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 404, error("invalid_request_error", "Unrecognized request URL"));
        return;
      }
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (paymentIntentFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(exchange, 500, error("api_error", "An unknown error occurred"));
        return;
      }
      String earlier =
          idempotencyKey == null ? null : paymentIntentAnswerByIdempotencyKey.get(idempotencyKey);
      if (earlier != null) {
        if (paymentIntentAnswersLost.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          answer(exchange, 500, error("api_error", "An unknown error occurred"));
          return;
        }
        exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
        answer(exchange, 200, earlier);
        return;
      }
      String customer = form.get("customer");
      List<String> cards = cardsByCustomer.getOrDefault(customer, List.of());
      if (!cards.contains(form.get("payment_method"))) {
        answer(exchange, 400, error("invalid_request_error", "No such PaymentMethod"));
        return;
      }
      if (declineSavedCards) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error")
            .put("type", "card_error")
            .put("code", "card_declined")
            .put("decline_code", "insufficient_funds")
            .put("message", "Your card has insufficient funds.");
        answer(exchange, 402, root.toString());
        return;
      }
      ObjectNode intent = JSON.createObjectNode();
      String id = "pi_" + UUID.randomUUID().toString().replace("-", "");
      boolean processing = leaveSavedCardChargesProcessing;
      intent.put("id", id);
      intent.put("object", "payment_intent");
      intent.put("amount", Long.parseLong(form.get("amount")));
      intent.put("amount_received", processing ? 0 : Long.parseLong(form.get("amount")));
      intent.put("currency", form.get("currency"));
      intent.put("customer", customer);
      intent.put("payment_method", form.get("payment_method"));
      intent.put("status", processing ? "processing" : "succeeded");
      intent.put("created", clock.instant().getEpochSecond());
      ObjectNode metadata = intent.putObject("metadata");
      form.forEach(
          (key, value) -> {
            if (key.startsWith("metadata[") && key.endsWith("]")) {
              metadata.put(key.substring("metadata[".length(), key.length() - 1), value);
            }
          });
      String answer = intent.toString();
      paymentIntents.put(id, intent);
      if (idempotencyKey != null) {
        paymentIntentAnswerByIdempotencyKey.put(idempotencyKey, answer);
      }
      if (paymentIntentAnswersLost.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(exchange, 500, error("api_error", "An unknown error occurred"));
        return;
      }
      answer(exchange, 200, answer);
    }
  }

  /** The session's payment intent, once it is paid. */
  public String paymentIntentOf(String sessionId) {
    ObjectNode session = existing(sessionId);
    synchronized (session) {
      return session.get("payment_intent").asText();
    }
  }

  /** Nobody paid the session, and Stripe expired it. */
  public void expire(String sessionId) {
    ObjectNode session = existing(sessionId);
    synchronized (session) {
      session.put("status", "expired");
    }
  }

  /** The next {@code count} refunds fail with a 500 (Stripe may or may not have made them). */
  public void failNextRefunds(int count) {
    refundFailures.set(count);
  }

  /** The next {@code count} refunds are refused with a 400, as for a charge already refunded. */
  public void refuseNextRefunds(int count) {
    refundRefusals.set(count);
  }

  /** The refunds Stripe made. */
  public int refundCount() {
    return refunds.size();
  }

  /** Someone refunds {@code cents} of the payment in Stripe's own dashboard. */
  public void refundInDashboard(String paymentIntent, long cents) {
    ObjectNode charge = charges.get(chargeByPaymentIntent.get(paymentIntent));
    synchronized (charge) {
      charge.put("amount_refunded", charge.get("amount_refunded").asLong() + cents);
      charge.put(
          "refunded", charge.get("amount_refunded").asLong() == charge.get("amount").asLong());
    }
  }

  /** A {@code charge.refunded} event about the payment's charge as it is now. */
  public Delivery chargeRefunded(String paymentIntent) {
    ObjectNode charge = charges.get(chargeByPaymentIntent.get(paymentIntent));
    ObjectNode object;
    synchronized (charge) {
      object = charge.deepCopy();
    }
    return signed(eventPayload(newEventId(), "charge.refunded", object));
  }

  /**
   * A dispute event ({@code charge.dispute.created} or {@code .closed}) of {@code cents} of the
   * payment, with the dispute's {@code status}.
   */
  public Delivery dispute(String type, String paymentIntent, long cents, String status) {
    ObjectNode dispute = JSON.createObjectNode();
    dispute.put("id", "dp_" + paymentIntent);
    dispute.put("object", "dispute");
    dispute.put("amount", cents);
    dispute.put("charge", chargeByPaymentIntent.get(paymentIntent));
    dispute.put("payment_intent", paymentIntent);
    dispute.put("currency", "usd");
    dispute.put("reason", "fraudulent");
    dispute.put("status", status);
    dispute.put("created", clock.instant().getEpochSecond());
    return signed(eventPayload(newEventId(), type, dispute));
  }

  private static String newEventId() {
    return "evt_" + UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * Notes the request, and whether it carries the test secret key: false, answered 401 as Stripe
   * answers, when it does not.
   */
  private boolean admitted(HttpExchange exchange, String idempotencyKey) throws IOException {
    received.add(
        new Received(
            exchange.getRequestMethod(), exchange.getRequestURI().getPath(), idempotencyKey));
    if (!("Bearer " + SECRET_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      answer(exchange, 401, error("invalid_request_error", "Invalid API Key provided"));
      return false;
    }
    return true;
  }

  private void refunds(HttpExchange exchange) throws IOException {
    try (exchange) {
      String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (!admitted(exchange, idempotencyKey)) {
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 404, error("invalid_request_error", "Unrecognized request URL"));
        return;
      }
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (refundFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(exchange, 500, error("api_error", "An unknown error occurred"));
        return;
      }
      if (refundRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(exchange, 400, error("invalid_request_error", "charge_already_refunded"));
        return;
      }
      String earlier = idempotencyKey == null ? null : refundByIdempotencyKey.get(idempotencyKey);
      if (earlier != null) {
        exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
        answer(exchange, 200, refunds.get(earlier).toString());
        return;
      }
      String chargeId = chargeByPaymentIntent.get(form.getOrDefault("payment_intent", ""));
      if (chargeId == null) {
        answer(exchange, 400, error("invalid_request_error", "No such payment_intent"));
        return;
      }
      ObjectNode charge = charges.get(chargeId);
      ObjectNode refund = JSON.createObjectNode();
      synchronized (charge) {
        long left = charge.get("amount").asLong() - charge.get("amount_refunded").asLong();
        long amount = Long.parseLong(form.getOrDefault("amount", String.valueOf(left)));
        if (amount <= 0 || amount > left) {
          answer(
              exchange,
              400,
              error("invalid_request_error", "Refund amount is greater than unrefunded amount"));
          return;
        }
        charge.put("amount_refunded", charge.get("amount_refunded").asLong() + amount);
        charge.put(
            "refunded", charge.get("amount_refunded").asLong() == charge.get("amount").asLong());
        refund.put("id", "re_" + UUID.randomUUID().toString().replace("-", ""));
        refund.put("object", "refund");
        refund.put("amount", amount);
        refund.put("charge", chargeId);
        refund.put("payment_intent", charge.get("payment_intent").asText());
        refund.put("currency", charge.get("currency").asText());
        refund.put("reason", form.get("reason"));
        refund.put("status", "succeeded");
        refund.put("created", clock.instant().getEpochSecond());
      }
      refunds.put(refund.get("id").asText(), refund);
      if (idempotencyKey != null) {
        refundByIdempotencyKey.put(idempotencyKey, refund.get("id").asText());
      }
      answer(exchange, 200, refund.toString());
    }
  }

  /** The customer completes the session with a payment that settles later (a bank debit). */
  public void completeUnpaid(String sessionId) {
    ObjectNode session = existing(sessionId);
    synchronized (session) {
      session.put("status", "complete");
      session.put("payment_status", "unpaid");
    }
  }

  /** An event of {@code type} about the session as it is now, signed now with the test secret. */
  public Delivery event(String type, String sessionId) {
    ObjectNode session = existing(sessionId);
    ObjectNode object;
    synchronized (session) {
      object = session.deepCopy();
    }
    return signed(
        eventPayload("evt_" + UUID.randomUUID().toString().replace("-", ""), type, object));
  }

  /** An event's JSON body as Stripe sends it, about {@code object}. */
  public String eventPayload(String eventId, String type, ObjectNode object) {
    ObjectNode event = JSON.createObjectNode();
    event.put("id", eventId);
    event.put("object", "event");
    event.put("api_version", Stripe.API_VERSION);
    event.put("created", clock.instant().getEpochSecond());
    event.putObject("data").set("object", object);
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    event.putObject("request").putNull("id").putNull("idempotency_key");
    event.put("type", type);
    return event.toString();
  }

  /** Signs a payload now with the test webhook secret. */
  public Delivery signed(String payload) {
    return new Delivery(
        payload, signature(payload, WEBHOOK_SECRET, clock.instant().getEpochSecond()));
  }

  /** Stripe's signature header: {@code t=…,v1=HMAC-SHA256(secret, t + "." + payload)} in hex. */
  public static String signature(String payload, String secret, long timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Posts a delivery to a webhook endpoint, as Stripe does. */
  public HttpResponse<String> deliver(URI endpoint, Delivery delivery) {
    try {
      return http.send(
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/json; charset=utf-8")
              .header("Stripe-Signature", delivery.signature())
              .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode existing(String sessionId) {
    ObjectNode session = sessions.get(sessionId);
    if (session == null) {
      throw new IllegalArgumentException("the fake has no session " + sessionId);
    }
    return session;
  }

  private void sessions(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (!admitted(exchange, idempotencyKey)) {
        return;
      }
      if (method.equals("POST") && path.equals("/v1/checkout/sessions")) {
        create(exchange, idempotencyKey);
      } else if (method.equals("GET") && path.startsWith("/v1/checkout/sessions/")) {
        ObjectNode session = sessions.get(path.substring("/v1/checkout/sessions/".length()));
        if (session == null) {
          answer(exchange, 404, error("invalid_request_error", "No such checkout.session"));
        } else {
          synchronized (session) {
            answer(exchange, 200, session.toString());
          }
        }
      } else {
        answer(exchange, 404, error("invalid_request_error", "Unrecognized request URL"));
      }
    }
  }

  /** The hosted checkout page a buyer is sent to; paying is done by the test ({@link #pay}). */
  private void checkoutPage(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body =
          ("<!doctype html><title>Fake Stripe Checkout</title><h1 id=\"fake-checkout\">"
                  + "Fake Stripe Checkout</h1>")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void create(HttpExchange exchange, String idempotencyKey) throws IOException {
    Map<String, String> form =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(exchange, 500, error("api_error", "An unknown error occurred"));
      return;
    }
    if (idempotencyKey != null) {
      String earlier = sessionByIdempotencyKey.get(idempotencyKey);
      if (earlier != null) {
        exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
        answer(exchange, 200, sessions.get(earlier).toString());
        return;
      }
    }
    long total = 0;
    for (int i = 0; form.containsKey("line_items[" + i + "][quantity]"); i++) {
      total +=
          Long.parseLong(form.get("line_items[" + i + "][quantity]"))
              * Long.parseLong(form.get("line_items[" + i + "][price_data][unit_amount]"));
    }
    String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
    ObjectNode session = JSON.createObjectNode();
    session.put("id", id);
    session.put("object", "checkout.session");
    session.put("amount_subtotal", total);
    session.put("amount_total", total);
    session.put("currency", form.getOrDefault("line_items[0][price_data][currency]", "usd"));
    session.put("client_reference_id", form.get("client_reference_id"));
    session.put("created", clock.instant().getEpochSecond());
    session.put("livemode", false);
    session.put("mode", form.get("mode"));
    session.put("payment_status", "unpaid");
    session.put("status", "open");
    session.put("success_url", form.get("success_url"));
    session.put("cancel_url", form.get("cancel_url"));
    session.put("url", apiBase() + "/pay/" + id);
    if (form.containsKey("customer")) {
      session.put("customer", form.get("customer"));
    }
    session.put(
        "saves_card", "off_session".equals(form.get("payment_intent_data[setup_future_usage]")));
    ObjectNode metadata = session.putObject("metadata");
    form.forEach(
        (key, value) -> {
          if (key.startsWith("metadata[") && key.endsWith("]")) {
            metadata.put(key.substring("metadata[".length(), key.length() - 1), value);
          }
        });
    sessions.put(id, session);
    if (idempotencyKey != null) {
      sessionByIdempotencyKey.put(idempotencyKey, id);
    }
    answer(exchange, 200, session.toString());
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (!pair.isEmpty()) {
        int equals = pair.indexOf('=');
        fields.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static String error(String type, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("type", type).put("message", message);
    return root.toString();
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Request-Id", "req_" + UUID.randomUUID());
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
