package dev.switchboard.domain.payments;

/**
 * Where a USDC purchase is, as its buyer sees it; derived from its transfers and the time, never
 * stored, so it cannot disagree with them.
 */
public enum UsdcPurchaseState {
  /** Nothing has arrived yet and the address is still offered. */
  AWAITING_PAYMENT,
  /** A transfer was seen and waits for its confirmations. */
  CONFIRMING,
  /** At least one transfer is confirmed and in the ledger. */
  CREDITED,
  /** Nothing arrived while the address was offered (a late payment is still credited). */
  EXPIRED
}
