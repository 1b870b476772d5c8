package dev.switchboard.domain.payments;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A refund of a card purchase's unused credits: taken out of the organization's credits when it was
 * asked for, and given back to them if the provider refused it.
 */
public record CardRefund(
    UUID id,
    CheckoutId checkout,
    Credits amount,
    State state,
    Optional<String> failure,
    Instant createdAt) {

  /** Where a refund is: asked of the provider, done, or refused (its credits given back). */
  public enum State {
    PENDING,
    SUCCEEDED,
    FAILED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State ofColumn(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
