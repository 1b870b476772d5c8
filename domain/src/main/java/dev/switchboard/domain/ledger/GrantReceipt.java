package dev.switchboard.domain.ledger;

import dev.switchboard.domain.money.Credits;

/**
 * The outcome of a grant: its ledger transaction, the balance right after it, and whether this call
 * was a replay of an earlier one with the same idempotency key (in which case no money moved).
 */
public record GrantReceipt(
    long transactionId, Credits amount, Credits balanceAfter, boolean replayed) {}
