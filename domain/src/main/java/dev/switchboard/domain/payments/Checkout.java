package dev.switchboard.domain.payments;

import dev.switchboard.domain.accounts.UserId;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;
import java.util.Optional;

/**
 * Switchboard's own record of a card purchase: what it credits, its fee and total, who started it,
 * the idempotency key its calls to the provider carry, and the provider's session once it exists.
 */
public record Checkout(
    CheckoutId id,
    OrganizationId org,
    UserId createdBy,
    PurchaseQuote quote,
    String currency,
    String idempotencyKey,
    Optional<String> sessionId,
    Optional<String> checkoutUrl,
    CheckoutState state,
    Instant createdAt,
    Optional<Instant> creditedAt) {

  public boolean isCredited() {
    return state == CheckoutState.CREDITED;
  }
}
