package dev.switchboard.api.rest.account;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CardRefund;
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutGateway;
import dev.switchboard.domain.payments.CheckoutId;
import dev.switchboard.domain.payments.PaymentProviderException;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Card checkouts of the caller's organization: {@code POST /credits/checkouts} {@code {"amount"}}
 * opens one at Stripe and answers where to pay it; {@code GET /credits/checkouts/{id}} says whether
 * it was credited. Buying needs the {@code owner} or {@code billing} role (a management key acts as
 * {@code admin}, so it cannot buy).
 */
@Path("/credits/checkouts")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CheckoutsResource {

  /** A checkout as the API shows it; amounts in USD. */
  public record CheckoutView(
      String id,
      String state,
      BigDecimal credits,
      BigDecimal fee,
      BigDecimal total,
      String currency,
      String url) {

    static CheckoutView of(Checkout checkout) {
      return new CheckoutView(
          checkout.id().toString(),
          checkout.state().name().toLowerCase(java.util.Locale.ROOT),
          checkout.quote().credits().toUsd(),
          checkout.quote().fee().toUsd(),
          checkout.quote().total().toUsd(),
          checkout.currency(),
          checkout.isCredited() ? null : checkout.checkoutUrl().orElse(null));
    }
  }

  /** A refund as the API shows it. */
  public record RefundView(
      String id,
      String checkout_id,
      BigDecimal amount,
      String state,
      String failure,
      String created_at) {

    static RefundView of(CardRefund refund) {
      return new RefundView(
          refund.id().toString(),
          refund.checkout().toString(),
          refund.amount().toUsd(),
          refund.state().wireName(),
          refund.failure().orElse(null),
          refund.createdAt().toString());
    }
  }

  @Inject ManagementAuthenticator authenticator;
  @Inject RequestBodyParser parser;
  @Inject PaymentServices payments;
  @Inject SwitchboardSettings settings;

  @POST
  public Response start(@HeaderParam("Authorization") String authorization, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    if (!caller.can(Permission.BUY_CREDITS)) {
      throw new ApiException(
          403, "Your role (" + caller.role().wireName() + ") does not allow buying credits");
    }
    if (!payments.cardPurchasesEnabled()) {
      throw ApiException.notFound("Card purchases are not configured");
    }
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
    String base = settings.publicUrl();
    try {
      Checkout checkout =
          payments
              .purchases()
              .start(
                  caller.actor(),
                  caller.org(),
                  credits,
                  id ->
                      new CheckoutGateway.ReturnUrls(
                          base + "/credits/checkout/" + id, base + "/credits"));
      return Response.status(201).entity(Map.of("data", CheckoutView.of(checkout))).build();
    } catch (PaymentProviderException e) {
      throw new ApiException(502, "Stripe could not be reached; nothing was charged");
    }
  }

  @GET
  @Path("/{id}")
  public Map<String, CheckoutView> find(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return CheckoutId.parse(id)
        .flatMap(checkout -> payments.purchases().find(caller.actor(), caller.org(), checkout))
        .map(checkout -> Map.of("data", CheckoutView.of(checkout)))
        .orElseThrow(() -> ApiException.notFound("No checkout " + id));
  }

  /**
   * Refunds what is unused of a credited purchase (not its fee), within the refund window: 201 with
   * the refund, whose state is {@code succeeded}, or {@code pending} while Stripe has not answered.
   */
  @POST
  @Path("/{id}/refund")
  public Response refund(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    CheckoutId checkout =
        CheckoutId.parse(id).orElseThrow(() -> ApiException.notFound("No checkout " + id));
    if (!caller.can(Permission.BUY_CREDITS)) {
      throw new ApiException(
          403, "Your role (" + caller.role().wireName() + ") does not allow refunds");
    }
    if (!payments.cardPurchasesEnabled()) {
      throw ApiException.notFound("Card purchases are not configured");
    }
    // a refusal (not found, forbidden, not refundable now) is mapped to its 4xx by ErrorMappers
    CardRefund refund = payments.refunds().refund(caller.actor(), caller.org(), checkout);
    return Response.status(201).entity(Map.of("data", RefundView.of(refund))).build();
  }

  @GET
  @Path("/{id}/refunds")
  public Map<String, List<RefundView>> refunds(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    CheckoutId checkout =
        CheckoutId.parse(id)
            .filter(c -> payments.purchases().find(caller.actor(), caller.org(), c).isPresent())
            .orElseThrow(() -> ApiException.notFound("No checkout " + id));
    return Map.of(
        "data",
        payments.refunds().refundsOf(caller.actor(), caller.org(), checkout).stream()
            .map(RefundView::of)
            .toList());
  }
}
