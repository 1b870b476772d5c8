/**
 * Bring your own provider keys: an organization's own API keys for catalog providers, sealed by
 * envelope encryption under the platform's master key ({@link EnvelopeCipher}, {@link
 * MasterKeyRing}), set and read through {@link ProviderKeys}, and the address rules an
 * organization-supplied base URL must pass before anything connects to it ({@link BaseUrlGuard}).
 */
package dev.switchboard.domain.byok;
