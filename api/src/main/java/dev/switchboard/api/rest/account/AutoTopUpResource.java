package dev.switchboard.api.rest.account;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.AutoTopUps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * The organization's auto top-up, as the Credits page sets it: {@code GET /credits/auto-top-up} for
 * every role that sees the credits, {@code PUT /credits/auto-top-up} {@code {"enabled",
 * "threshold", "amount"}} (USD) for owners and billing members only (a management key acts as
 * {@code admin}, so it gets 403). The body is checked whole before anything else, so a malformed
 * one is 400 whoever sends it; the domain then refuses amounts outside the purchase terms (400), a
 * role that may not buy (403) and turning it on without a saved card (409).
 */
@Path("/credits/auto-top-up")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class AutoTopUpResource {

  private static final Set<String> FIELDS = Set.of("enabled", "threshold", "amount");

  /** Auto top-up as the API shows it; amounts in USD. */
  public record AutoTopUpView(
      boolean enabled,
      BigDecimal threshold,
      BigDecimal amount,
      boolean cardSaved,
      int consecutiveDeclines,
      String lastFailure) {

    static AutoTopUpView of(AutoTopUps.Settings settings) {
      return new AutoTopUpView(
          settings.enabled(),
          settings.threshold().toUsd(),
          settings.amount().toUsd(),
          settings.cardSaved(),
          settings.consecutiveDeclines(),
          settings.lastFailure().orElse(null));
    }
  }

  @Inject ManagementAuthenticator authenticator;
  @Inject RequestBodyParser parser;
  @Inject PaymentServices payments;

  @GET
  public Map<String, AutoTopUpView> settings(@HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    // a role that may not see the credits is refused by the domain (403)
    return Map.of(
        "data", AutoTopUpView.of(payments.autoTopUps().settings(caller.actor(), caller.org())));
  }

  @PUT
  public Map<String, AutoTopUpView> configure(
      @HeaderParam("Authorization") String authorization, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(FIELDS);
    Boolean enabled = fields.optionalBoolean("enabled");
    if (enabled == null) {
      throw ApiException.badRequest("'enabled' is required: true or false");
    }
    Credits threshold = usd(fields, "threshold");
    Credits amount = usd(fields, "amount");
    // amounts outside the purchase terms (400), a role that may not buy (403) and turning it on
    // without a saved card (409) are refused by the domain and mapped by ErrorMappers
    AutoTopUps.Settings saved =
        payments.autoTopUps().configure(caller.actor(), caller.org(), enabled, threshold, amount);
    return Map.of("data", AutoTopUpView.of(saved));
  }

  private static Credits usd(ObjectFields fields, String field) {
    BigDecimal value = fields.optionalAmount(field); // refuses negatives and non-numbers
    if (value == null) {
      throw ApiException.badRequest("'" + field + "' is required, in USD such as \"20.00\"");
    }
    try {
      return Credits.ofUsd(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'" + field + "': " + e.getMessage());
    }
  }
}
