/**
 * Exact money: integer nano-USD amounts, prices per million tokens, and the cost of a generation.
 */
package dev.switchboard.domain.money;
