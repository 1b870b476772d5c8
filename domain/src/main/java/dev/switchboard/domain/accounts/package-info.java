/**
 * The people who sign in to the dashboard: their accounts and passwords, their memberships of
 * organizations and roles there, their sessions, the single-use links e-mailed to them, and the
 * throttle of failed sign-ins. No secret is stored: passwords as Argon2id hashes, tokens as
 * SHA-256.
 */
package dev.switchboard.domain.accounts;
