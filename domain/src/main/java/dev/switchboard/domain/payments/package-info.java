/**
 * Buying credits: the terms of a purchase (fee and limits), Switchboard's own record of every
 * checkout, and the crediting of a paid one, exactly once, through the ledger, with its invoice and
 * the receipts sent after it. The payment provider is behind {@link
 * dev.switchboard.domain.payments.CheckoutGateway}; this package knows no Stripe classes.
 */
package dev.switchboard.domain.payments;
