package dev.switchboard.domain.payments;

import dev.switchboard.domain.tenancy.OrganizationId;

/** A recorded transfer to one of the deposit addresses, and where it is. */
public record TrackedTransfer(
    long id,
    OrganizationId org,
    UsdcPurchaseId purchase,
    String txHash,
    long logIndex,
    ChainBlock block,
    long amountMicros,
    State state) {

  /** See the {@code crypto_transfers.state} column. */
  public enum State {
    PENDING,
    DROPPED,
    CREDITED,
    REVERSED
  }
}
