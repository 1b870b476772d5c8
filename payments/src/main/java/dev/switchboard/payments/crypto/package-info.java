/**
 * USDC purchases on an EVM chain: the watcher that reads the token's {@code Transfer} logs to the
 * deposit addresses over JSON-RPC (web3j, the only code here that talks to the chain) and reports
 * them to {@link dev.switchboard.domain.payments.CryptoPurchases}, which records and credits them.
 */
package dev.switchboard.payments.crypto;
