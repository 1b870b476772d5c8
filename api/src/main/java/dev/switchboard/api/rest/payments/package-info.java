/** Payment providers' callbacks: Stripe's webhook. */
package dev.switchboard.api.rest.payments;
