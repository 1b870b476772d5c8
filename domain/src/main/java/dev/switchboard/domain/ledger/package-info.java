/**
 * The money: an append-only double-entry ledger in PostgreSQL (the schema refuses unbalanced,
 * altered or deleted entries), grants with idempotency keys, worst-case reservations taken
 * atomically before a request, and settlement of the actual cost after it.
 */
package dev.switchboard.domain.ledger;
