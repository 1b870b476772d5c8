package dev.switchboard.domain.payments;

import java.util.Optional;

/**
 * A provider event that a charge was refunded, in part or in full: how much of it is refunded in
 * all so far (whoever asked for it), in the currency's minor unit.
 */
public record ChargeRefundedEvent(
    String eventId,
    String type,
    String chargeId,
    Optional<String> paymentIntentId,
    long amountRefundedCents,
    Optional<String> currency) {}
