/**
 * An organization's billing details: whom its invoices are addressed to. Invoices copy them when
 * they are issued ({@link dev.switchboard.domain.payments.Invoices}), so editing them changes only
 * invoices to come.
 */
package dev.switchboard.domain.billing;
