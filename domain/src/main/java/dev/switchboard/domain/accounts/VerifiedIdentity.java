package dev.switchboard.domain.accounts;

import java.io.Serializable;

/**
 * Who an OpenID Connect provider says signed in, from an ID token whose signature, issuer,
 * audience, expiry and nonce were checked: the identity ({@code issuer} and {@code subject}) and
 * what the provider tells of the person.
 *
 * @param email the address the provider holds, or null when it shares none
 * @param emailVerified whether the provider vouches that the person owns {@code email}
 * @param name the person's name at the provider, or null
 */
// Serializable: it waits in the HTTP session between the provider's callback and the dashboard
public record VerifiedIdentity(
    String issuer, String subject, String email, boolean emailVerified, String name)
    implements Serializable {}
