/**
 * How each catalog endpoint (a provider serving a model) has behaved lately, measured from real
 * traffic on this instance: success rates over 5 minutes, 30 minutes and a day, latency, time to
 * first token and throughput percentiles over 30 minutes, and a circuit breaker per endpoint.
 * Everything is in memory, updated with atomic adds on the request path (no locks, no I/O), and
 * read against an injected {@link java.time.Clock} so tests control time.
 */
package dev.switchboard.domain.routing.health;
