/**
 * The JAX-RS resources under {@code /api/v1} (everything but inference, which is a servlet so
 * streams are relayed without buffering). Resources are thin: authenticate, validate, call the
 * domain, map to a record.
 */
package dev.switchboard.api.rest;
