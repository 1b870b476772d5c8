package dev.switchboard.domain.byok;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An organization's own provider keys (bring your own key): owners and admins ({@link
 * Permission#MANAGE_PROVIDER_KEYS}; a management key acts as admin) set, rotate, list and delete
 * them; the request path reads one, decrypted and cached, with {@link #credentials}. The secret is
 * stored only sealed ({@link EnvelopeCipher}) and never returned by the management methods.
 */
public final class ProviderKeys {

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final int REWRAP_BATCH = 100;

  /** How long the request path's decrypted keys are kept before the row is read again. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);

  /** An organization's keys by provider: those that decrypt, and why the others do not. */
  private record Loaded(
      Map<String, ProviderCredentials> readable,
      Map<String, SecretUnreadableException> unreadable) {}

  /** An organization's keys and when they were read. */
  private record Cached(Loaded keys, Instant loadedAt) {}

  private final TransactionRunner transactions;
  private final EnvelopeCipher cipher;
  private final Clock clock;
  private final Duration cacheTtl;
  private final Map<OrganizationId, Cached> cache = new ConcurrentHashMap<>();

  /**
   * Counts this instance's changes: a load that a change overtook is not cached, so a key read just
   * before a rotation or deletion committed is not served for a whole time to live.
   */
  private final AtomicLong changes = new AtomicLong();

  /**
   * @param cacheTtl how long {@link #credentials} serves a decrypted key (or its absence) before it
   *     reads the row again: the bound on how long another instance's change takes to be seen here
   */
  /** The master keys this instance seals and opens with. */
  public MasterKeyRing masterKeys() {
    return cipher.keys();
  }

  public ProviderKeys(
      TransactionRunner transactions, EnvelopeCipher cipher, Clock clock, Duration cacheTtl) {
    this.transactions = transactions;
    this.cipher = cipher;
    this.clock = clock;
    this.cacheTtl = cacheTtl;
  }

  /**
   * Sets {@code org}'s key for {@code provider}, or rotates it: the same row gets a new ciphertext
   * under a new data key, and keeps its creation time.
   *
   * @param baseUrl a URL that passed {@link BaseUrlGuard#check}, or empty for the provider's own
   * @throws AccountRefusedException not found for a stranger, forbidden for a role without {@link
   *     Permission#MANAGE_PROVIDER_KEYS}
   */
  public ProviderKey put(
      Actor actor,
      OrganizationId org,
      String provider,
      ProviderSecret secret,
      Optional<CheckedBaseUrl> baseUrl,
      boolean alwaysUse) {
    requireSlug(provider);
    SealedSecret sealed = cipher.seal(org, provider, secret);
    Instant now = clock.instant();
    ProviderKey saved =
        transactions.inTenant(
            org,
            c -> {
              require(c, org, actor);
              try (PreparedStatement upsert =
                  c.prepareStatement(
                      "INSERT INTO provider_keys (org_id, provider_slug, secret_ciphertext,"
                          + " secret_nonce, data_key_wrapped, data_key_nonce, master_key_id, last4,"
                          + " base_url, always_use, created_by, created_at, updated_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          + " ON CONFLICT (org_id, provider_slug) DO UPDATE SET"
                          + " secret_ciphertext = excluded.secret_ciphertext,"
                          + " secret_nonce = excluded.secret_nonce,"
                          + " data_key_wrapped = excluded.data_key_wrapped,"
                          + " data_key_nonce = excluded.data_key_nonce,"
                          + " master_key_id = excluded.master_key_id, last4 = excluded.last4,"
                          + " base_url = excluded.base_url, always_use = excluded.always_use,"
                          + " updated_at = excluded.updated_at")) {
                upsert.setObject(1, org.value());
                upsert.setString(2, provider);
                upsert.setBytes(3, sealed.ciphertext());
                upsert.setBytes(4, sealed.nonce());
                upsert.setBytes(5, sealed.wrappedDataKey());
                upsert.setBytes(6, sealed.dataKeyNonce());
                upsert.setString(7, sealed.masterKeyId());
                upsert.setString(8, secret.last4());
                if (baseUrl.isPresent()) {
                  upsert.setString(9, baseUrl.get().uri().toString());
                } else {
                  upsert.setNull(9, Types.VARCHAR);
                }
                upsert.setBoolean(10, alwaysUse);
                if (actor instanceof Actor.Member member) {
                  upsert.setObject(11, member.user().value());
                } else {
                  upsert.setNull(11, Types.OTHER);
                }
                upsert.setTimestamp(12, Timestamp.from(now));
                upsert.setTimestamp(13, Timestamp.from(now));
                upsert.executeUpdate();
              }
              KeyChange.announceProviderKeys(c, org);
              return find(c, org, provider).orElseThrow();
            });
    changes.incrementAndGet();
    cache.remove(org);
    return saved;
  }

  /** The organization's keys, by provider; never their secrets. */
  public List<ProviderKey> list(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          require(c, org, actor);
          List<ProviderKey> keys = new ArrayList<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT provider_slug, base_url, last4, always_use, created_at, updated_at"
                      + " FROM provider_keys WHERE org_id = ? ORDER BY provider_slug")) {
            query.setObject(1, org.value());
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                keys.add(view(rows));
              }
            }
          }
          return keys;
        });
  }

  /**
   * Deletes the organization's key for {@code provider}.
   *
   * @return whether there was one
   */
  public boolean delete(Actor actor, OrganizationId org, String provider) {
    boolean deleted =
        transactions.inTenant(
            org,
            c -> {
              require(c, org, actor);
              try (PreparedStatement delete =
                  c.prepareStatement(
                      "DELETE FROM provider_keys WHERE org_id = ? AND provider_slug = ?")) {
                delete.setObject(1, org.value());
                delete.setString(2, provider);
                boolean removed = delete.executeUpdate() > 0;
                if (removed) {
                  KeyChange.announceProviderKeys(c, org);
                }
                return removed;
              }
            });
    changes.incrementAndGet();
    cache.remove(org);
    return deleted;
  }

  /**
   * The organization's decrypted key and base URL for {@code provider}, for the request path: all
   * of an organization's keys are read and decrypted together, then served from memory for the
   * cache's time to live (changes made through this instance are seen at once, another instance's
   * when {@link #forget} is called for them).
   *
   * @throws SecretUnreadableException when the stored key does not decrypt (its master key is not
   *     configured, or its ciphertext belongs to another row)
   */
  public Optional<ProviderCredentials> credentials(OrganizationId org, String provider) {
    Loaded loaded = loaded(org);
    SecretUnreadableException unreadable = loaded.unreadable().get(provider);
    if (unreadable != null) {
      throw unreadable;
    }
    return Optional.ofNullable(loaded.readable().get(provider));
  }

  /** Drops what is cached for {@code org}: another instance changed its keys. */
  public void forget(OrganizationId org) {
    changes.incrementAndGet();
    cache.remove(org);
  }

  private Loaded loaded(OrganizationId org) {
    Instant now = clock.instant();
    Cached cached = cache.get(org);
    if (cached != null && cached.loadedAt().plus(cacheTtl).isAfter(now)) {
      return cached.keys();
    }
    long changesBefore = changes.get();
    Loaded loaded = load(org);
    if (changes.get() == changesBefore) {
      cache.put(org, new Cached(loaded, now));
    }
    return loaded;
  }

  private Loaded load(OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT provider_slug, secret_ciphertext, secret_nonce, data_key_wrapped,"
                      + " data_key_nonce, master_key_id, base_url, always_use FROM provider_keys"
                      + " WHERE org_id = ?")) {
            query.setObject(1, org.value());
            Map<String, ProviderCredentials> readable = new HashMap<>();
            Map<String, SecretUnreadableException> unreadable = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String provider = rows.getString(1);
                try {
                  ProviderSecret secret = cipher.open(org, provider, sealed(rows, 2));
                  readable.put(
                      provider,
                      new ProviderCredentials(
                          provider,
                          secret,
                          Optional.ofNullable(rows.getString(7)),
                          rows.getBoolean(8)));
                } catch (SecretUnreadableException e) {
                  unreadable.put(provider, e); // the organization's other keys still serve
                }
              }
            }
            return new Loaded(Map.copyOf(readable), Map.copyOf(unreadable));
          }
        });
  }

  /**
   * Re-wraps, under the current master key, every data key still wrapped by another (after a
   * rotation), a batch per transaction with rows locked and skipped when another instance has them:
   * the secrets' ciphertexts are not touched, and every key opens with either master key
   * throughout.
   *
   * @return how many data keys were re-wrapped
   * @throws SecretUnreadableException when a data key is under a master key that is not configured
   */
  public int rewrapAll() {
    String current = cipher.keys().current().id();
    int total = 0;
    while (true) {
      int batch =
          transactions.acrossTenants(
              c -> {
                int done = 0;
                try (PreparedStatement query =
                        c.prepareStatement(
                            "SELECT org_id, provider_slug, secret_ciphertext, secret_nonce,"
                                + " data_key_wrapped, data_key_nonce, master_key_id"
                                + " FROM provider_keys WHERE master_key_id <> ?"
                                + " ORDER BY org_id, provider_slug LIMIT ? FOR UPDATE SKIP LOCKED");
                    PreparedStatement update =
                        c.prepareStatement(
                            "UPDATE provider_keys SET data_key_wrapped = ?, data_key_nonce = ?,"
                                + " master_key_id = ? WHERE org_id = ? AND provider_slug = ?"
                                + " AND master_key_id = ?")) {
                  query.setString(1, current);
                  query.setInt(2, REWRAP_BATCH);
                  try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                      OrganizationId org = new OrganizationId(rows.getObject(1, UUID.class));
                      String provider = rows.getString(2);
                      SealedSecret old =
                          new SealedSecret(
                              rows.getBytes(3),
                              rows.getBytes(4),
                              rows.getBytes(5),
                              rows.getBytes(6),
                              rows.getString(7));
                      SealedSecret rewrapped = cipher.rewrap(org, provider, old);
                      update.setBytes(1, rewrapped.wrappedDataKey());
                      update.setBytes(2, rewrapped.dataKeyNonce());
                      update.setString(3, rewrapped.masterKeyId());
                      update.setObject(4, org.value());
                      update.setString(5, provider);
                      update.setString(6, old.masterKeyId());
                      done += update.executeUpdate();
                    }
                  }
                }
                return done;
              });
      total += batch;
      if (batch == 0) {
        return total;
      }
    }
  }

  /**
   * How many stored keys are wrapped by a master key this instance does not hold: they cannot be
   * opened, so the platform refuses to start rather than fail every such request.
   */
  public long countUnderUnknownMasterKeys() {
    MasterKeyRing ring = cipher.keys();
    List<String> known = new ArrayList<>();
    known.add(ring.current().id());
    ring.previous().ifPresent(p -> known.add(p.id()));
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT count(*) FROM provider_keys WHERE NOT (master_key_id = ANY (?))")) {
            query.setArray(1, c.createArrayOf("text", known.toArray()));
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  /** How many stored keys are wrapped by another master key than the current one. */
  public long countAwaitingRewrap() {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement("SELECT count(*) FROM provider_keys WHERE master_key_id <> ?")) {
            query.setString(1, cipher.keys().current().id());
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  /**
   * The sealed secret in five columns from {@code first}: ciphertext, nonce, data key, its nonce,
   * master key.
   */
  private static SealedSecret sealed(ResultSet rows, int first) throws SQLException {
    return new SealedSecret(
        rows.getBytes(first),
        rows.getBytes(first + 1),
        rows.getBytes(first + 2),
        rows.getBytes(first + 3),
        rows.getString(first + 4));
  }

  private static Optional<ProviderKey> find(Connection c, OrganizationId org, String provider)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT provider_slug, base_url, last4, always_use, created_at, updated_at"
                + " FROM provider_keys WHERE org_id = ? AND provider_slug = ?")) {
      query.setObject(1, org.value());
      query.setString(2, provider);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(view(rows)) : Optional.empty();
      }
    }
  }

  private static ProviderKey view(ResultSet rows) throws SQLException {
    return new ProviderKey(
        rows.getString(1),
        Optional.ofNullable(rows.getString(2)),
        rows.getString(3),
        rows.getBoolean(4),
        rows.getTimestamp(5).toInstant(),
        rows.getTimestamp(6).toInstant());
  }

  private static void require(Connection c, OrganizationId org, Actor actor) throws SQLException {
    Role role = MembershipService.roleOf(c, org, actor);
    if (!role.can(Permission.MANAGE_PROVIDER_KEYS)) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.FORBIDDEN,
          "Your role (" + role.wireName() + ") does not allow managing provider keys");
    }
  }

  private static void requireSlug(String provider) {
    if (provider == null || !SLUG.matcher(provider).matches()) {
      throw new AccountRefusedException(
          AccountRefusedException.Reason.NOT_FOUND, "No provider " + provider);
    }
  }
}
