/**
 * An organization's own provider keys as the REST API and the dashboard change them: one path that
 * checks the provider against the catalog, the secret and the base URL against their rules, before
 * the domain stores anything.
 */
package dev.switchboard.api.byok;
