package dev.switchboard.domain.payments;

import dev.switchboard.domain.money.Credits;

/** What a purchase credits, its fee, and the total the card is charged (credits plus fee). */
public record PurchaseQuote(Credits credits, Credits fee, Credits total) {

  public PurchaseQuote {
    if (!total.equals(credits.plus(fee))) {
      throw new IllegalArgumentException("the total is the credits and the fee");
    }
  }

  /** The total in cents, as the card is charged. */
  public long totalCents() {
    return PurchaseTerms.cents(total);
  }
}
