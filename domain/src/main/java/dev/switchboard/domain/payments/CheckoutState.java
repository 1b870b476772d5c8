package dev.switchboard.domain.payments;

import java.util.Locale;

/** Where a checkout is: recorded, open at the payment provider, or paid and credited (once). */
public enum CheckoutState {
  /** Recorded with its idempotency key; the provider has not (yet) answered. */
  CREATED,
  /** The provider's checkout session exists; the member may be paying. */
  OPEN,
  /** Paid, and its credits are in the ledger. */
  CREDITED,
  /** Never paid, and the provider's session has expired (or never opened). */
  EXPIRED;

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static CheckoutState ofColumn(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
