package dev.switchboard.domain.keys;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request rate limits, in requests per fixed UTC minute, held across instances without a database
 * round trip per request. Each instance takes a share of a subject's window (a key's, an
 * organization's) from the database, a chunk of a twentieth of the limit at a time, and admits
 * requests against it in memory; a window the database says is used up is refused until it ends
 * without asking again. Instances sharing the database therefore never together admit more than the
 * limit in a window (a grant is taken under the window row's lock); what they may admit less is the
 * unused part of the other instances' chunks, at most a chunk per instance. A fixed window lets a
 * client send a whole limit at the end of one minute and another at the start of the next.
 */
public final class RequestRates {

  /** Longest a window's row is kept. */
  private static final Duration KEEP = Duration.ofMinutes(10);

  /** A limit on a subject: {@code key:<id>} or {@code org:<id>}. */
  public record Limit(String subject, OrganizationId org, int perMinute) {

    public static Limit ofKey(ApiKey key, int perMinute) {
      return new Limit("key:" + key.id(), key.orgId(), perMinute);
    }

    public static Limit ofOrganization(OrganizationId org, int perMinute) {
      return new Limit("org:" + org.value(), org, perMinute);
    }
  }

  /**
   * What the tightest limit said: whether the request is admitted, the limit, about how many
   * requests the window has left (this instance's share plus what no instance has taken yet when it
   * last asked), and when the window ends.
   */
  public record Verdict(boolean admitted, String subject, int limit, int remaining, Instant reset) {

    /** Whether the verdict is the organization's limit's rather than the key's. */
    public boolean ofOrganization() {
      return subject.startsWith("org:");
    }

    /** Seconds until the window ends, at least one: the {@code Retry-After} of a refusal. */
    public long retryAfterSeconds(Instant now) {
      return Math.max(1, (Duration.between(now, reset).toMillis() + 999) / 1000);
    }
  }

  /** This instance's share of one subject's current window; guarded by its monitor. */
  private static final class Share {
    Instant window = Instant.EPOCH;
    int held;
    int unclaimed;
    boolean usedUp;
  }

  private final TransactionRunner transactions;
  private final Clock clock;
  private final ConcurrentHashMap<String, Share> shares = new ConcurrentHashMap<>();

  public RequestRates(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Admits a request when every limit has room, taking one request of each; refused, it takes
   * nothing. Null when no limit applies.
   */
  public Verdict admit(List<Limit> limits) {
    if (limits.isEmpty()) {
      return null;
    }
    Instant now = clock.instant();
    Instant window = now.truncatedTo(ChronoUnit.MINUTES);
    Instant reset = window.plus(Duration.ofMinutes(1));
    Verdict tightest = null;
    for (int i = 0; i < limits.size(); i++) {
      Limit limit = limits.get(i);
      Share share = shares.computeIfAbsent(limit.subject(), s -> new Share());
      Verdict verdict;
      synchronized (share) {
        if (!share.window.equals(window)) {
          share.window = window;
          share.held = 0;
          share.unclaimed = limit.perMinute();
          share.usedUp = false;
        }
        if (share.held == 0 && !share.usedUp) {
          take(limit, window, share);
        }
        boolean admitted = share.held > 0;
        if (admitted) {
          share.held--;
        }
        verdict =
            new Verdict(
                admitted, limit.subject(), limit.perMinute(), share.held + share.unclaimed, reset);
      }
      if (!verdict.admitted()) {
        giveBack(limits.subList(0, i), window);
        return verdict;
      }
      if (tightest == null || verdict.remaining() < tightest.remaining()) {
        tightest = verdict;
      }
    }
    return tightest;
  }

  /** Forgets windows that ended a while ago, in the database and here. */
  public int purge() {
    Instant before = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(KEEP);
    shares.values().removeIf(share -> share.window.isBefore(before));
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM rate_windows WHERE window_start < ?")) {
            delete.setTimestamp(1, Timestamp.from(before));
            return delete.executeUpdate();
          }
        });
  }

  /** Takes a chunk of the window from the database into the share. */
  private void take(Limit limit, Instant window, Share share) {
    int want = Math.max(1, limit.perMinute() / 20);
    int[] got =
        transactions.inTenant(
            limit.org(),
            c -> {
              try (PreparedStatement call =
                  c.prepareStatement(
                      "SELECT taken, granted FROM switchboard_rate_take(?, ?, ?, ?, ?)")) {
                call.setString(1, limit.subject());
                call.setObject(2, limit.org().value());
                call.setTimestamp(3, Timestamp.from(window));
                call.setInt(4, limit.perMinute());
                call.setInt(5, want);
                try (ResultSet rows = call.executeQuery()) {
                  rows.next();
                  return new int[] {rows.getInt(1), rows.getInt(2)};
                }
              }
            });
    share.held += got[0];
    share.unclaimed = Math.max(0, limit.perMinute() - got[1]);
    share.usedUp = got[0] == 0;
  }

  /** A later limit refused: the requests the earlier ones took go back to this instance's share. */
  private void giveBack(List<Limit> admitted, Instant window) {
    for (Limit limit : admitted) {
      Share share = shares.get(limit.subject());
      synchronized (share) {
        if (share.window.equals(window)) {
          share.held++;
        }
      }
    }
  }
}
