/**
 * Payments: how money from outside reaches the ledger. {@code stripe} holds card purchases through
 * Stripe Checkout and its webhooks; the rules (terms, records, crediting once) are the domain's
 * {@code payments} package.
 */
package dev.switchboard.payments;
