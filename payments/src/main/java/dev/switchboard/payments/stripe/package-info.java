/**
 * Stripe, through {@code stripe-java} only: the checkout sessions Switchboard opens (each call
 * carrying its checkout's idempotency key) and the signed webhooks that say they were paid.
 */
package dev.switchboard.payments.stripe;
