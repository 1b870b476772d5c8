package dev.switchboard.domain.keys;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request rate limits, in requests per fixed UTC window (a minute, or a day for the free tier's
 * daily quota), held across instances without a database round trip per request. Each instance
 * takes a share of a subject's window (a key's, an organization's) from the database, a chunk of a
 * twentieth of the limit at a time, and admits requests against it in memory; a window the database
 * says is used up is refused until it ends without asking again. Instances sharing the database
 * therefore never together admit more than the limit in a window (a grant is taken under the window
 * row's lock); what they may admit less is the unused part of the other instances' chunks, at most
 * a chunk per instance. A fixed window lets a client send a whole limit at the end of one minute
 * and another at the start of the next.
 */
public final class RequestRates {

  /** How long a window's row is kept after the window ends. */
  private static final Duration KEEP = Duration.ofMinutes(10);

  /**
   * A fixed window: minutes and days start at multiples of their length since the epoch, months on
   * the first of the month, all in UTC.
   */
  public enum Window {
    MINUTE("minute"),
    DAY("day (UTC)"),
    MONTH("month (UTC)");

    private final String word;

    Window(String word) {
      this.word = word;
    }

    /** The start of the window holding {@code now}. */
    public Instant start(Instant now) {
      return switch (this) {
        case MINUTE -> now.truncatedTo(ChronoUnit.MINUTES);
        case DAY -> now.truncatedTo(ChronoUnit.DAYS);
        case MONTH ->
            YearMonth.from(now.atOffset(ZoneOffset.UTC))
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
      };
    }

    public Instant end(Instant start) {
      return switch (this) {
        case MINUTE -> start.plus(1, ChronoUnit.MINUTES);
        case DAY -> start.plus(1, ChronoUnit.DAYS);
        case MONTH -> start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
      };
    }

    /** The window in words, for a refusal's message: "minute", "day (UTC)". */
    public String word() {
      return word;
    }
  }

  /**
   * A limit on a subject ({@code key:<id>}, {@code org:<id>}, {@code free-minute:<org>}, {@code
   * free-day:<org>}, {@code byok-month:<org>}): at most {@code perWindow} requests in each of its
   * windows.
   */
  public record Limit(String subject, OrganizationId org, int perWindow, Window window) {

    public static Limit ofKey(ApiKey key, int perMinute) {
      return new Limit("key:" + key.id(), key.orgId(), perMinute, Window.MINUTE);
    }

    public static Limit ofOrganization(OrganizationId org, int perMinute) {
      return new Limit("org:" + org.value(), org, perMinute, Window.MINUTE);
    }

    /** An organization's requests to free models in a minute. */
    public static Limit ofFreeMinute(OrganizationId org, int perMinute) {
      return new Limit("free-minute:" + org.value(), org, perMinute, Window.MINUTE);
    }

    /** An organization's requests to free models in a UTC day. */
    public static Limit ofFreeDay(OrganizationId org, int perDay) {
      return new Limit("free-day:" + org.value(), org, perDay, Window.DAY);
    }

    /** The requests through its own provider keys an organization makes without a fee, a month. */
    public static Limit ofByokAllowance(OrganizationId org, int perMonth) {
      return new Limit("byok-month:" + org.value(), org, perMonth, Window.MONTH);
    }
  }

  /**
   * What the tightest limit said: whether the request is admitted, the limit, about how many
   * requests the window has left (this instance's share plus what no instance has taken yet when it
   * last asked), and when the window ends.
   */
  public record Verdict(
      boolean admitted, String subject, int limit, int remaining, Instant reset, Window window) {

    /** Whether the verdict is the organization's limit's rather than the key's. */
    public boolean ofOrganization() {
      return subject.startsWith("org:");
    }

    /** Whether the verdict is one of the free tier's quotas. */
    public boolean ofFreeTier() {
      return subject.startsWith("free-");
    }

    /** Seconds until the window ends, at least one: the {@code Retry-After} of a refusal. */
    public long retryAfterSeconds(Instant now) {
      return Math.max(1, (Duration.between(now, reset).toMillis() + 999) / 1000);
    }
  }

  /** This instance's share of one subject's current window; guarded by its monitor. */
  private static final class Share {
    Instant window = Instant.EPOCH;
    Instant end = Instant.EPOCH;
    int limit;
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
    Verdict tightest = null;
    for (int i = 0; i < limits.size(); i++) {
      Limit limit = limits.get(i);
      Instant window = limit.window().start(now);
      Instant reset = limit.window().end(window);
      Share share = shares.computeIfAbsent(limit.subject(), s -> new Share());
      Verdict verdict;
      synchronized (share) {
        if (!share.window.equals(window)) {
          share.window = window;
          share.end = reset;
          share.limit = limit.perWindow();
          share.held = 0;
          share.unclaimed = limit.perWindow();
          share.usedUp = false;
        } else if (share.limit != limit.perWindow()) {
          // the limit changed within the window (a purchase raises the free tier's day quota, a
          // key's rate is edited): a window used up under the old limit may have room under the
          // new one, which the database decides on the next take
          share.unclaimed = Math.max(0, share.unclaimed + limit.perWindow() - share.limit);
          share.limit = limit.perWindow();
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
                admitted,
                limit.subject(),
                limit.perWindow(),
                share.held + share.unclaimed,
                reset,
                limit.window());
      }
      if (!verdict.admitted()) {
        giveBack(limits.subList(0, i), now);
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
    Instant before = clock.instant().minus(KEEP);
    shares.values().removeIf(share -> share.end.isBefore(before));
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM rate_windows WHERE window_end < ?")) {
            delete.setTimestamp(1, Timestamp.from(before));
            return delete.executeUpdate();
          }
        });
  }

  /** Takes a chunk of the window from the database into the share. */
  private void take(Limit limit, Instant window, Share share) {
    int want = Math.max(1, limit.perWindow() / 20);
    int[] got =
        transactions.inTenant(
            limit.org(),
            c -> {
              try (PreparedStatement call =
                  c.prepareStatement(
                      "SELECT taken, granted FROM switchboard_rate_take(?, ?, ?, ?, ?, ?)")) {
                call.setString(1, limit.subject());
                call.setObject(2, limit.org().value());
                call.setTimestamp(3, Timestamp.from(window));
                call.setTimestamp(4, Timestamp.from(limit.window().end(window)));
                call.setInt(5, limit.perWindow());
                call.setInt(6, want);
                try (ResultSet rows = call.executeQuery()) {
                  rows.next();
                  return new int[] {rows.getInt(1), rows.getInt(2)};
                }
              }
            });
    share.held += got[0];
    share.unclaimed = Math.max(0, limit.perWindow() - got[1]);
    share.usedUp = got[0] == 0;
  }

  /** A later limit refused: the requests the earlier ones took go back to this instance's share. */
  private void giveBack(List<Limit> admitted, Instant now) {
    for (Limit limit : admitted) {
      Share share = shares.get(limit.subject());
      synchronized (share) {
        if (share.window.equals(limit.window().start(now))) {
          share.held++;
        }
      }
    }
  }
}
