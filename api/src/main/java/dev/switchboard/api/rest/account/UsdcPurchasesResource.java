package dev.switchboard.api.rest.account;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CryptoPurchases;
import dev.switchboard.domain.payments.UsdcChain;
import dev.switchboard.domain.payments.UsdcPurchase;
import dev.switchboard.domain.payments.UsdcPurchaseId;
import dev.switchboard.domain.payments.UsdcQuote;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * USDC purchases of the caller's organization: {@code POST /credits/usdc-purchases} {@code
 * {"amount"}} records one and answers the deposit address and the exact amount to send; {@code GET
 * /credits/usdc-purchases/{id}} says what has arrived. Buying needs the {@code owner} or {@code
 * billing} role (a management key acts as {@code admin}, so it cannot buy). 404 when USDC purchases
 * are not configured.
 */
@Path("/credits/usdc-purchases")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class UsdcPurchasesResource {

  /** A USDC purchase as the API shows it: credits and fee in USD, USDC amounts as decimals. */
  public record UsdcPurchaseView(
      String id,
      String state,
      BigDecimal credits,
      BigDecimal fee,
      String amountDue,
      String currency,
      String depositAddress,
      Instant expiresAt,
      String confirming,
      String received,
      BigDecimal credited,
      int reversedTransfers) {

    static UsdcPurchaseView of(UsdcPurchase purchase) {
      return new UsdcPurchaseView(
          purchase.id().toString(),
          purchase.state().name().toLowerCase(Locale.ROOT),
          purchase.quote().credits().toUsd(),
          purchase.quote().fee().toUsd(),
          purchase.quote().amountDueUsdc(),
          "USDC",
          UsdcChain.checksumAddress(purchase.depositAddress()),
          purchase.expiresAt(),
          UsdcQuote.usdc(purchase.confirmingMicros()),
          UsdcQuote.usdc(purchase.creditedMicros()),
          purchase.credited().toUsd(),
          purchase.reversedTransfers());
    }
  }

  @Inject ManagementAuthenticator authenticator;
  @Inject RequestBodyParser parser;
  @Inject PaymentServices payments;

  @POST
  public Response start(@HeaderParam("Authorization") String authorization, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    if (!caller.can(Permission.BUY_CREDITS)) {
      throw new ApiException(
          403, "Your role (" + caller.role().wireName() + ") does not allow buying credits");
    }
    CryptoPurchases purchases = configured();
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(Set.of("amount"));
    BigDecimal amount = fields.optionalAmount("amount");
    if (amount == null || amount.signum() <= 0) {
      throw ApiException.badRequest("'amount' is required, in USD such as \"20.00\"");
    }
    Credits credits;
    try {
      credits = Credits.ofUsd(amount);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'amount': " + e.getMessage());
    }
    UsdcPurchase purchase = purchases.start(caller.actor(), caller.org(), credits);
    return Response.status(201).entity(Map.of("data", UsdcPurchaseView.of(purchase))).build();
  }

  @GET
  @Path("/{id}")
  public Map<String, UsdcPurchaseView> find(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    CryptoPurchases purchases = configured();
    return UsdcPurchaseId.parse(id)
        .flatMap(purchase -> purchases.find(caller.actor(), caller.org(), purchase))
        .map(purchase -> Map.of("data", UsdcPurchaseView.of(purchase)))
        .orElseThrow(() -> ApiException.notFound("No USDC purchase " + id));
  }

  private CryptoPurchases configured() {
    return payments
        .cryptoPurchases()
        .orElseThrow(() -> ApiException.notFound("USDC purchases are not configured"));
  }
}
