/**
 * Switchboard's business core: tenancy, API keys, the ledger, the model catalog and usage. Plain
 * Java over JDBC, and over JPA for the account entities; the container only wires it.
 */
package dev.switchboard.domain;
