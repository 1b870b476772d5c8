package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.BodyLimitFilter;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.DataAccessException;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.catalog.Catalog;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.FreeTier;
import dev.switchboard.domain.keys.RequestRates;
import dev.switchboard.domain.ledger.ReservationRefusedException;
import dev.switchboard.domain.money.Credits;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The inference endpoints. A servlet rather than a JAX-RS resource so that streams are relayed
 * event by event with nothing buffered, and so that no request thread waits on a provider: the
 * exchange runs asynchronously after the reservation.
 */
@WebServlet(
    urlPatterns = {"/api/v1/chat/completions", "/api/v1/completions", "/api/v1/messages"},
    asyncSupported = true)
public class InferenceServlet extends HttpServlet {

  private static final Logger LOG = Logger.getLogger(InferenceServlet.class.getName());
  private static final ChatProtocol CHAT = new ChatProtocol();
  private static final CompletionsProtocol COMPLETIONS = new CompletionsProtocol();
  private static final MessagesProtocol MESSAGES = new MessagesProtocol();

  @Inject KeyAuthenticator authenticator;
  @Inject RequestBodyParser parser;
  @Inject InferenceServices services;
  @Inject RequestRates rates;
  @Inject FreeTier freeTier;
  @Inject ProviderKeys providerKeys;
  @Inject SwitchboardSettings settings;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    long started = System.nanoTime();
    ClientProtocol protocol = protocolFor(request);
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the exchange's own timeouts bound it
    ClientConnection client =
        new ClientConnection(
            async, protocol, services.clientLimits(), services.timer(), services.metrics());
    try {
      ApiKey key = authenticator.authenticate(request.getHeader("Authorization"));
      admitRate(key, response);
      JsonNode body = parser.parseObject(BodyLimitFilter.bodyOf(request));
      if (protocol == COMPLETIONS) {
        body = CompletionsProtocol.toChatRequest(body);
      } else if (protocol == MESSAGES) {
        body = MessagesProtocol.toChatRequest(body);
      }
      ChatRequest chat = ChatRequestParser.parse(body, protocol.apiType());
      List<Candidate> candidates =
          services
              .planner()
              .plan(
                  chat,
                  services.catalog().current(),
                  provider -> providerKeys.credentials(key.orgId(), provider));
      candidates =
          services
              .sticky()
              .prefer(
                  StickyRoutes.conversation(key.orgId(), chat),
                  chat,
                  candidates,
                  services::healthy);
      if (chat.models().stream().anyMatch(Catalog::isFreeVariant)) {
        admitFree(key, response);
      }
      boolean byokFeeDue = candidates.stream().anyMatch(Candidate::byok) && byokFeeDue(key);
      InferenceExchange exchange =
          new InferenceExchange(
              services,
              chat,
              key,
              candidates,
              byokFeeDue,
              protocol,
              client,
              header(request, "HTTP-Referer", 500),
              firstNonNull(
                  header(request, "X-Title", 200), header(request, "X-OpenRouter-Title", 200)));
      async.addListener(new DisconnectListener(exchange));
      client.onGone(exchange::onClientDisconnected);
      exchange.start();
    } catch (ApiException e) {
      refused(protocol, e, client, started);
    } catch (ReservationRefusedException e) {
      refused(
          protocol,
          new ApiException(
              402,
              e.getMessage(),
              Map.of(
                  "requested", e.requested().toUsd(),
                  "available", e.available().max0().toUsd(),
                  "budget", e.budget().name().toLowerCase(java.util.Locale.ROOT))),
          client,
          started);
    } catch (DataAccessException e) {
      LOG.log(Level.SEVERE, "database failure on the inference path", e);
      refused(
          protocol,
          new ApiException(
              503, "Service temporarily unavailable", Map.of(), Map.of("Retry-After", "1")),
          client,
          started);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "unexpected failure on the inference path", e);
      refused(protocol, new ApiException(500, "Internal error"), client, started);
    }
  }

  /**
   * Applies the key's and its organization's request rate limits: the {@code X-RateLimit-*} headers
   * of the tightest go on the answer, and a refusal is a 429 with {@code Retry-After}.
   */
  private void admitRate(ApiKey key, HttpServletResponse response) {
    List<RequestRates.Limit> limits = new ArrayList<>(2);
    if (key.rateLimitRpm() != null) {
      limits.add(RequestRates.Limit.ofKey(key, key.rateLimitRpm()));
    }
    if (key.organizationRateLimitRpm() != null) {
      limits.add(RequestRates.Limit.ofOrganization(key.orgId(), key.organizationRateLimitRpm()));
    }
    admit(limits, response);
  }

  /**
   * A request to a {@code :free} model: refused while the organization's balance is negative (as
   * read with the key), then counted against the free tier's minute and day quotas.
   */
  private void admitFree(ApiKey key, HttpServletResponse response) {
    Credits balance = key.organizationBalance();
    if (balance != null && balance.isNegative()) {
      throw new ApiException(
          402,
          "Your organization's balance is negative ("
              + balance.toUsdString()
              + " USD): add credits to bring it to zero or more; until then even free models are"
              + " refused",
          Map.of("balance", balance.toUsd()));
    }
    admit(freeTier.limits(key), response);
  }

  /**
   * Whether a request that may go through the organization's own key pays the fee: it takes one of
   * the month's free requests while some are left (taken even when the platform's key ends up
   * serving it, so the allowance is never exceeded).
   */
  private boolean byokFeeDue(ApiKey key) {
    int allowance = settings.byokFreeRequests();
    if (allowance == 0) {
      return true;
    }
    return !rates
        .admit(List.of(RequestRates.Limit.ofByokAllowance(key.orgId(), allowance)))
        .admitted();
  }

  private void admit(List<RequestRates.Limit> limits, HttpServletResponse response) {
    RequestRates.Verdict verdict = rates.admit(limits);
    if (verdict == null) {
      return;
    }
    Map<String, String> headers =
        Map.of(
            "X-RateLimit-Limit", Integer.toString(verdict.limit()),
            "X-RateLimit-Remaining", Integer.toString(verdict.remaining()),
            "X-RateLimit-Reset", Long.toString(verdict.reset().toEpochMilli()));
    headers.forEach(response::setHeader);
    if (!verdict.admitted()) {
      Map<String, String> refusal = new HashMap<>(headers);
      long retryAfter = verdict.retryAfterSeconds(services.clock().instant());
      refusal.put("Retry-After", Long.toString(retryAfter));
      String whose =
          verdict.ofFreeTier()
              ? "this organization's free models"
              : verdict.ofOrganization() ? "this organization" : "this key";
      throw new ApiException(
          429,
          "Rate limit exceeded: "
              + verdict.limit()
              + " requests per "
              + verdict.window().word()
              + " for "
              + whose
              + "; try again in "
              + retryAfter
              + " s",
          Map.of("limit", verdict.limit(), "reset", verdict.reset().toEpochMilli()),
          refusal);
    }
  }

  private void refused(
      ClientProtocol protocol, ApiException error, ClientConnection client, long started) {
    client.sendError(error, null);
    services
        .metrics()
        .requestFinished(
            protocol.apiType().wireName(),
            error.status(),
            Duration.ofNanos(System.nanoTime() - started));
  }

  private static ClientProtocol protocolFor(HttpServletRequest request) {
    String path = request.getServletPath();
    if (path.endsWith("/chat/completions")) {
      return CHAT;
    }
    return path.endsWith("/messages") ? MESSAGES : COMPLETIONS;
  }

  private static String header(HttpServletRequest request, String name, int maxLength) {
    String value = request.getHeader(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.length() > maxLength ? value.substring(0, maxLength) : value;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  /**
   * Tells the exchange when the client connection fails, so a stream stops and bills what it
   * produced.
   */
  private record DisconnectListener(InferenceExchange exchange) implements AsyncListener {
    @Override
    public void onError(AsyncEvent event) {
      exchange.onClientDisconnected();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      exchange.onClientDisconnected();
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
