/**
 * The BYOK API (management key): an organization's own provider keys, set, rotated, listed and
 * deleted; the secret goes in and never comes out.
 */
package dev.switchboard.api.rest.byok;
