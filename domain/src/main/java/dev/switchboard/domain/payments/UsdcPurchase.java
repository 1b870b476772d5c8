package dev.switchboard.domain.payments;

import dev.switchboard.domain.accounts.UserId;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.time.Instant;

/**
 * Switchboard's own record of a USDC purchase, with what its transfers amount to so far: the
 * micro-USDC waiting for confirmations, those confirmed and credited, the credits they brought, and
 * how many credited transfers a reorganisation reversed.
 */
public record UsdcPurchase(
    UsdcPurchaseId id,
    OrganizationId org,
    UserId createdBy,
    UsdcQuote quote,
    long depositIndex,
    String depositAddress,
    Instant expiresAt,
    Instant createdAt,
    long confirmingMicros,
    long creditedMicros,
    Credits credited,
    int reversedTransfers,
    UsdcPurchaseState state) {

  /** Whether something arrived, but less than the amount due. */
  public boolean underpaid() {
    return creditedMicros > 0 && creditedMicros < quote.amountDueMicros();
  }
}
