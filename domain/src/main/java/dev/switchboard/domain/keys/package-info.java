/**
 * API keys: generated from a CSPRNG, shown once, stored only as their SHA-256. The hex digest
 * doubles as the key's public identifier, so the plaintext never needs to be kept or logged.
 */
package dev.switchboard.domain.keys;
