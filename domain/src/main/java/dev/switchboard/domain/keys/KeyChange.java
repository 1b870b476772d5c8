package dev.switchboard.domain.keys;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * A change that makes cached key records stale: one key's (deleted, disabled, limit or expiry
 * changed) or every key of an organization (the operator disabled or enabled it). Announced with
 * PostgreSQL {@code NOTIFY} inside the transaction that makes the change, so every instance hears
 * of it when, and only when, it commits; each instance's listener drops the cached records it
 * names.
 *
 * <p>Payloads on {@link #CHANNEL}: {@code key:<sha-256 hex>}, {@code org:<uuid>}, {@code
 * leases:<uuid>} or {@code byok:<uuid>}.
 */
public sealed interface KeyChange {

  /** The channel every instance listens on. */
  String CHANNEL = "switchboard_key_changes";

  /** One key, by its hash. */
  record Key(String hash) implements KeyChange {}

  /** Every key of an organization. */
  record Organization(OrganizationId org) implements KeyChange {}

  /**
   * What an organization may spend went down by other means than its requests (a refund, a dispute,
   * an expiry, a reversal): every instance retires its spend leases of it.
   */
  record Leases(OrganizationId org) implements KeyChange {}

  /** An organization's own provider keys (BYOK) were set, rotated or deleted. */
  record ProviderKeys(OrganizationId org) implements KeyChange {}

  /** The change a notification's payload names; empty for a payload this version does not know. */
  static Optional<KeyChange> parse(String payload) {
    if (payload == null) {
      return Optional.empty();
    }
    if (payload.startsWith("key:") && payload.length() > 4) {
      return Optional.of(new Key(payload.substring(4)));
    }
    int colon = payload.indexOf(':');
    String kind = colon < 0 ? "" : payload.substring(0, colon);
    if (kind.equals("org") || kind.equals("leases") || kind.equals("byok")) {
      try {
        OrganizationId org = new OrganizationId(UUID.fromString(payload.substring(colon + 1)));
        return Optional.of(
            switch (kind) {
              case "org" -> new Organization(org);
              case "leases" -> new Leases(org);
              default -> new ProviderKeys(org);
            });
      } catch (IllegalArgumentException malformed) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Announces, in {@code c}'s transaction, that these keys changed. */
  static void announceKeys(Connection c, Collection<String> hashes) throws SQLException {
    if (hashes.isEmpty()) {
      return;
    }
    Array payloads = c.createArrayOf("text", hashes.stream().map(hash -> "key:" + hash).toArray());
    try (PreparedStatement notify =
        c.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")) {
      notify.setString(1, CHANNEL);
      notify.setArray(2, payloads);
      notify.execute();
    }
  }

  /** Announces, in {@code c}'s transaction, that every key of the organization changed. */
  static void announceOrganization(Connection c, OrganizationId org) throws SQLException {
    announce(c, "org:" + org.value());
  }

  /** Announces, in {@code c}'s transaction, that the organization's leases are to be retired. */
  static void announceLeases(Connection c, OrganizationId org) throws SQLException {
    announce(c, "leases:" + org.value());
  }

  /** Announces, in {@code c}'s transaction, that the organization's own provider keys changed. */
  static void announceProviderKeys(Connection c, OrganizationId org) throws SQLException {
    announce(c, "byok:" + org.value());
  }

  private static void announce(Connection c, String payload) throws SQLException {
    try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, CHANNEL);
      notify.setString(2, payload);
      notify.execute();
    }
  }
}
