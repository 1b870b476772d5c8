package dev.switchboard.domain.usage;

/**
 * One attempt at a provider for a generation, as {@code GET /generation} lists them: the provider
 * (its slug) and model tried, the provider's HTTP status (null when none came back: a refused or
 * cut connection, a timeout), what went wrong in the failover's terms (null for the attempt that
 * answered) and how long the attempt took. Attempts that failed cost nothing.
 */
public record ProviderResponse(
    String provider, String model, Integer status, String error, long latencyMs, boolean byok) {}
