/**
 * Buying credits: the terms of a purchase (fee and limits), Switchboard's own record of every card
 * checkout and USDC purchase, and the crediting of what was paid, exactly once, through the ledger,
 * with its invoice and the receipts sent after it; refunds, disputes and auto top-up of card
 * purchases. The card provider is behind {@link dev.switchboard.domain.payments.CheckoutGateway};
 * the chain is read by the payments module's watcher, which reports to {@link
 * dev.switchboard.domain.payments.CryptoPurchases}. This package knows no Stripe or web3j classes.
 */
package dev.switchboard.domain.payments;
