package dev.switchboard.api.rest.payments;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.domain.payments.EventOutcome;
import dev.switchboard.payments.stripe.StripeWebhookReceiver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code POST /webhooks/stripe}: Stripe's events, verified by their {@code Stripe-Signature}. A
 * verified event is answered 200, also when it was delivered before (nothing changes then); one
 * that does not verify or parse is 400 and writes nothing. A delivery that credited a purchase has
 * its receipt sent after it is answered, by {@link PaymentServices}.
 */
@Path("/webhooks/stripe")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class StripeWebhookResource {

  @Inject PaymentServices payments;

  @POST
  public Map<String, Object> receive(
      @HeaderParam("Stripe-Signature") String signature, byte[] body) {
    StripeWebhookReceiver receiver =
        payments
            .stripeWebhooks()
            .orElseThrow(() -> ApiException.notFound("Card purchases are not configured"));
    // the signature is over the exact bytes Stripe sent, read as UTF-8 as Stripe writes them
    String payload = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
    StripeWebhookReceiver.Receipt receipt = receiver.receive(payload, signature);
    if (receipt instanceof StripeWebhookReceiver.Rejected rejected) {
      throw ApiException.badRequest(rejected.reason());
    }
    if (receipt instanceof StripeWebhookReceiver.Accepted accepted
        && accepted.outcome() == EventOutcome.CREDITED) {
      payments.sendReceiptsSoon(); // the credit is committed; its receipt is sent apart from it
    }
    return Map.of("received", true);
  }
}
