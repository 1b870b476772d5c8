package dev.switchboard.domain.byok;

import java.time.Instant;
import java.util.Optional;

/**
 * An organization's key for one provider as it may be shown: everything but the secret, of which
 * only the last four characters are kept in plain text.
 */
public record ProviderKey(
    String provider,
    Optional<String> baseUrl,
    String last4,
    boolean alwaysUse,
    Instant createdAt,
    Instant updatedAt) {}
