package dev.switchboard.domain.ledger;

import dev.switchboard.domain.SqlParameters;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.usage.Generation;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Takes each request's worst-case cost out of what its organization and key may still spend, and
 * gives back the unspent part when it settles, without a database round trip per request.
 *
 * <p>This instance leases a share of what a key may spend (its organization's available credits and
 * the key's remaining limit, whichever is smaller) and reserves requests in memory against that
 * lease. The lease is a row the database holds like any reservation, taken and grown by one
 * function under the hold rows' locks (migration V3), so instances never together lease more than
 * there is: budgets stay exact across instances. A lease grows when a request does not fit (each
 * time asking for up to twice as much, never more than a quarter of what is left unless the request
 * needs more), shrinks by what each settlement debits, and is returned when its key has been idle
 * for a moment, so a single instance can always spend an organization's last nano-dollar. Near the
 * end of a budget shared by several instances, a request may be refused while another instance
 * still holds a little of it unused, until that instance returns it.
 *
 * <p>{@link #maintain} (every second or so) returns idle leases and pushes the expiry of live ones;
 * a lease whose instance died expires and is released by the reconciler ({@link
 * SettlementBook#releaseExpired}).
 */
public final class SpendGate implements LeaseRetirement {

  private static final Logger LOG = Logger.getLogger(SpendGate.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** A new lease asks for this many requests' worth; later grows double it. */
  private static final long FIRST_LEASE_REQUESTS = 16;

  /** How long retiring an organization's leases waits for their hand-back to be written. */
  private static final Duration HAND_BACK_WAIT = Duration.ofSeconds(5);

  /** No lease asks for more than this many requests' worth. */
  private static final long MAX_LEASE_REQUESTS = 1024;

  private final TransactionRunner transactions;
  private final SettlementQueue settlements;
  private final Clock clock;
  private final Duration leaseTtl;
  private final Duration idleReturn;

  /** The lease each key reserves from now. */
  private final Map<UUID, Lease> current = new ConcurrentHashMap<>();

  /** Every lease not yet returned, including retired ones with requests still in flight. */
  private final Map<UUID, Lease> open = new ConcurrentHashMap<>();

  /**
   * @param leaseTtl how long the database keeps a lease nobody renews (an instance renews its own
   *     at half that): what a crashed instance's leases stay held for
   * @param idleReturn how long a lease with nothing in flight is kept for the next request
   */
  public SpendGate(
      TransactionRunner transactions,
      SettlementQueue settlements,
      Clock clock,
      Duration leaseTtl,
      Duration idleReturn) {
    this.transactions = transactions;
    this.settlements = settlements;
    this.clock = clock;
    this.leaseTtl = leaseTtl;
    this.idleReturn = idleReturn;
  }

  /**
   * Reserves {@code amount} for a request made with {@code key}.
   *
   * @throws ReservationRefusedException when it fits in neither the credits nor the key's limit
   */
  public Reservation reserve(ApiKey key, Credits amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a reservation cannot be negative");
    }
    while (true) {
      Instant now = clock.instant();
      Lease lease = current.computeIfAbsent(key.id(), id -> newLease(key, now));
      synchronized (lease) {
        if (lease.closed || lease.retired) {
          continue; // retired or returned (and unmapped) while this thread waited for it
        }
        if (!lease.takenUnder(key)
            || (lease.granted > 0
                && now.isAfter(lease.confirmedUntil.minus(leaseTtl.dividedBy(4))))) {
          // the key's limit changed, or renewals stopped getting through: start a fresh lease
          retire(lease);
          continue;
        }
        if (lease.remaining() < amount.nanos()) {
          grow(lease, key, amount, now);
        }
        lease.outstanding += amount.nanos();
        lease.lastUsed = now;
        return new Reservation(lease.id, key.orgId(), key.id(), amount);
      }
    }
  }

  /**
   * Ends a request: its generation's cost is debited and taken from the lease, and the rest of its
   * reservation goes back to the lease. With no generation (the request failed before producing
   * anything) it only gives the reservation back. The future completes when the debit and the
   * generation record are committed (at once when there is nothing to write).
   */
  public CompletableFuture<Void> settle(Reservation reservation, Generation generation) {
    Credits cost = generation == null ? Credits.ZERO : generation.cost();
    Lease lease = open.get(reservation.leaseId());
    if (lease == null) {
      throw new IllegalStateException("reservation of an unknown lease " + reservation.leaseId());
    }
    synchronized (lease) {
      lease.outstanding -= reservation.amount().nanos();
      long fromLease = Math.min(cost.nanos(), lease.granted);
      lease.granted -= fromLease;
      lease.lastUsed = clock.instant();
      CompletableFuture<Void> durable = DONE;
      if (generation != null || fromLease > 0) {
        durable =
            settlements.submit(Settlement.shrink(lease, generation, Credits.ofNanos(fromLease)));
      }
      if (lease.retired && lease.outstanding == 0) {
        close(lease);
      }
      return durable;
    }
  }

  /** A request that produced nothing: its reservation goes back to the lease. */
  public void release(Reservation reservation) {
    settle(reservation, null);
  }

  /**
   * Returns leases idle for longer than the idle period and renews those that stay, whose expiry is
   * within half the lease time. Called periodically; never on a request's path.
   */
  public void maintain() {
    Instant now = clock.instant();
    List<Lease> renew = new ArrayList<>();
    for (Lease lease : open.values()) {
      synchronized (lease) {
        if (lease.closed) {
          continue;
        }
        if (lease.outstanding == 0 && !now.isBefore(lease.lastUsed.plus(idleReturn))) {
          close(lease);
        } else if (lease.everGranted()
            && lease.confirmedUntil.isBefore(now.plus(leaseTtl.dividedBy(2)))) {
          renew.add(lease);
        }
      }
    }
    if (!renew.isEmpty()) {
      renew(renew, now.plus(leaseTtl));
    }
  }

  /**
   * Hands back everything leased and not in flight, on shutdown: idle leases are returned, busy
   * ones shrink to what their requests still hold and close when the last one settles.
   */
  public void returnAll() {
    for (Lease lease : open.values()) {
      handBack(lease);
    }
  }

  /**
   * Retires the organization's leases (a refund or dispute lowered what it may spend): what they
   * hold unused is back in the database when this returns, requests in flight keep their
   * reservations, and the next request takes a fresh lease under the organization's new balance.
   */
  @Override
  public void retireLeases(OrganizationId org) {
    for (Lease lease : open.values()) {
      if (lease.orgId.equals(org)) {
        handBack(lease);
      }
    }
    if (!settlements.awaitSettled(HAND_BACK_WAIT)) {
      LOG.warning("spend leases of " + org + " were not handed back within " + HAND_BACK_WAIT);
    }
  }

  /** Closes an idle lease; shrinks a busy one to what its requests hold and retires it. */
  private void handBack(Lease lease) {
    synchronized (lease) {
      if (lease.closed) {
        return;
      }
      if (lease.outstanding == 0) {
        close(lease);
      } else {
        long unused = Math.max(0, lease.remaining());
        if (unused > 0) {
          lease.granted -= unused;
          settlements.submit(Settlement.shrink(lease, null, Credits.ofNanos(unused)));
        }
        retire(lease);
      }
    }
  }

  private Lease newLease(ApiKey key, Instant now) {
    Lease lease = new Lease(key, now);
    open.put(lease.id, lease);
    return lease;
  }

  /** Takes no more requests on the lease; closes it now if nothing is in flight. */
  private void retire(Lease lease) {
    lease.retired = true;
    current.remove(lease.keyId, lease);
    if (lease.outstanding == 0) {
      close(lease);
    }
  }

  private void close(Lease lease) {
    lease.closed = true;
    current.remove(lease.keyId, lease);
    open.remove(lease.id);
    if (lease.granted > 0 || lease.everGranted()) {
      settlements.submit(Settlement.close(lease));
    }
    lease.granted = 0;
  }

  /**
   * Grows the lease so the request fits, in one transaction (function switchboard_lease, migration
   * V3). Runs under the lease's monitor: other requests of the key on this instance wait for it
   * rather than grow it twice.
   */
  private void grow(Lease lease, ApiKey key, Credits amount, Instant now) {
    long needed = amount.nanos() - lease.remaining();
    long perRequest = Math.max(amount.nanos(), 1);
    long want =
        Math.max(
            needed,
            Math.min(
                saturatedMultiply(perRequest, MAX_LEASE_REQUESTS),
                Math.max(
                    saturatedMultiply(perRequest, FIRST_LEASE_REQUESTS),
                    saturatedMultiply(lease.lastWant, 2))));
    Instant expiresAt = now.plus(leaseTtl);
    long[] outcome =
        transactions.inTenant(
            key.orgId(),
            c -> {
              try (PreparedStatement grant =
                  c.prepareStatement(
                      "SELECT outcome, available, granted"
                          + " FROM switchboard_lease(?, ?, ?, ?, ?, ?, ?, ?)")) {
                grant.setObject(1, lease.id);
                grant.setObject(2, key.orgId().value());
                grant.setObject(3, key.id());
                grant.setLong(4, needed);
                grant.setLong(5, want);
                SqlParameters.setInstant(grant, 6, key.currentPeriodStart(now));
                grant.setTimestamp(7, Timestamp.from(now));
                grant.setTimestamp(8, Timestamp.from(expiresAt));
                try (ResultSet rows = grant.executeQuery()) {
                  rows.next();
                  return new long[] {rows.getInt(1), rows.getLong(2), rows.getLong(3)};
                }
              }
            });
    // what this request could have had: the budget's free part plus what the lease has unused
    Credits affordable = Credits.ofNanos(outcome[1] + Math.max(0, lease.remaining()));
    switch ((int) outcome[0]) {
      case 0 -> {
        lease.granted += outcome[2];
        lease.lastWant = want;
        lease.confirmedUntil = expiresAt;
      }
      case 1 ->
          throw new ReservationRefusedException(
              ReservationRefusedException.Budget.CREDITS, amount, affordable);
      case 3 ->
          throw new ReservationRefusedException(
              ReservationRefusedException.Budget.FROZEN, amount, Credits.ZERO);
      default ->
          throw new ReservationRefusedException(
              ReservationRefusedException.Budget.KEY_LIMIT, amount, affordable);
    }
  }

  private void renew(List<Lease> leases, Instant until) {
    Set<UUID> renewed = new HashSet<>();
    try {
      // this instance's leases, of every organization it serves
      transactions.acrossTenants(
          c -> {
            Array ids = c.createArrayOf("uuid", leases.stream().map(l -> l.id).toArray());
            try (PreparedStatement update =
                c.prepareStatement(
                    "UPDATE reservations SET expires_at = ? WHERE id = ANY (?) RETURNING id")) {
              update.setTimestamp(1, Timestamp.from(until));
              update.setArray(2, ids);
              try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                  renewed.add(rows.getObject(1, UUID.class));
                }
              }
            }
            return null;
          });
    } catch (RuntimeException unreachable) {
      // the database is away: the leases keep their confirmed expiry and retire before it
      LOG.warning("spend leases could not be renewed: " + unreachable.getMessage());
      return;
    }
    for (Lease lease : leases) {
      synchronized (lease) {
        if (renewed.contains(lease.id)) {
          lease.confirmedUntil = until;
        } else if (!lease.closed && lease.granted > 0) {
          // released by the reconciler (this instance was away too long): never spend from it again
          LOG.warning("spend lease " + lease.id + " expired before it was renewed; retiring it");
          retire(lease);
        }
      }
    }
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high == 0 && low >= 0 ? low : Long.MAX_VALUE;
  }
}
