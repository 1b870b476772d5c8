/**
 * Single sign-on through an OpenID Connect provider (Keycloak), when {@code SWITCHBOARD_OIDC_*} is
 * set: the browser's authorization code flow (with PKCE, state and nonce) in a servlet of its own,
 * and the provider's access tokens as bearer tokens of the management API. Both verify tokens with
 * the provider's published keys. Nothing here runs on the inference path: that path never reads a
 * JWT, and without the settings every class here stays idle.
 */
package dev.switchboard.api.sso;
