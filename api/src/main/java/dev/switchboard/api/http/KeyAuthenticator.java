package dev.switchboard.api.http;

import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.ApiKeySecret;
import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Authenticates bearer keys on the hot path: a malformed key (bad shape or checksum) is refused
 * without any lookup, and a key's record (or that no such key exists) is cached by its SHA-256 for
 * a few seconds, so most requests read no database. Deleting or changing a key invalidates its
 * entry here at once, and on every other instance when its {@link
 * dev.switchboard.domain.keys.KeyChange} notification arrives ({@link KeyChangeListener}); the TTL
 * bounds staleness only while that listener is reconnecting.
 */
@ApplicationScoped
public class KeyAuthenticator {

  static final Duration TTL = Duration.ofSeconds(5);
  private static final int MAX_ENTRIES = 100_000;
  private static final String BEARER = "Bearer ";

  private record Cached(Optional<ApiKey> key, long expiresAtNanos) {}

  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * Counts invalidations: a lookup that read the database while one happened does not cache what it
   * read, which may be the state from before the change.
   */
  private final AtomicLong invalidations = new AtomicLong();

  @Inject ApiKeyRepository keys;
  @Inject Clock clock;

  /**
   * The usable key named by an {@code Authorization: Bearer …} header.
   *
   * @throws ApiException 401 when the header is missing or the key is unknown, deleted, disabled or
   *     expired; 403 when the platform's operator disabled the key's organization
   */
  public ApiKey authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw ApiException.unauthorized("Missing API key: send 'Authorization: Bearer <key>'");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.unauthorized("The Authorization header must be 'Bearer <key>'");
    }
    String secret = authorization.substring(BEARER.length()).trim();
    if (!ApiKeySecret.isWellFormed(secret)) {
      throw ApiException.unauthorized("Invalid API key");
    }
    String hash = ApiKeySecret.hash(secret);
    ApiKey key = lookup(hash).orElseThrow(() -> ApiException.unauthorized("Invalid API key"));
    if (key.organizationDisabled()) {
      throw new ApiException(
          403,
          "This API key's organization is disabled by the platform's operator: ask them to enable"
              + " it");
    }
    if (key.disabled()) {
      throw ApiException.unauthorized("This API key is disabled");
    }
    if (key.isExpired(clock.instant())) {
      throw ApiException.unauthorized("This API key has expired");
    }
    return key;
  }

  /** As {@link #authenticate}, and the key must be a management key. */
  public ApiKey authenticateManagement(String authorization) {
    ApiKey key = authenticate(authorization);
    if (!key.management()) {
      throw new ApiException(403, "This endpoint needs a management key");
    }
    return key;
  }

  public void invalidate(String hash) {
    invalidations.incrementAndGet();
    cache.remove(hash);
  }

  /** Drops the cached records of every key of the organization (it was disabled or enabled). */
  public void invalidateOrganization(OrganizationId org) {
    invalidations.incrementAndGet();
    cache.values().removeIf(cached -> cached.key().map(k -> k.orgId().equals(org)).orElse(false));
  }

  /** Drops every cached record (changes may have been missed). */
  public void invalidateAll() {
    invalidations.incrementAndGet();
    cache.clear();
  }

  private Optional<ApiKey> lookup(String hash) {
    long now = System.nanoTime();
    Cached cached = cache.get(hash);
    if (cached != null && now - cached.expiresAtNanos() < 0) {
      return cached.key();
    }
    long before = invalidations.get();
    Optional<ApiKey> key = keys.findLiveByHash(hash);
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear(); // bounded memory under a flood of well-formed unknown keys
    }
    cache.put(hash, new Cached(key, now + TTL.toNanos()));
    if (invalidations.get() != before) {
      // an invalidation may have raced the read: what was read may predate it
      cache.remove(hash);
    }
    return key;
  }
}
