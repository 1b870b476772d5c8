package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.ledger.Ledger.Leg;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.mail.OutgoingMail;
import dev.switchboard.domain.money.Credits;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Bought credits expire {@code lifetime} after their purchase, oldest first, through the ledger;
 * the owners and billing members of the organization are mailed {@code warning} before.
 *
 * <p>Each purchase is a lot, and so is each operator grant, which never expires. What is left of a
 * lot is read from the ledger: its credit less what the movements naming it took (refunds,
 * disputes, reversals, its expiry; see {@link Ledger#postAgainst}). Spending is not assigned to
 * lots as it happens (the request path stays as it is); instead, since credits are spent oldest
 * first, what an organization has left is made of its newest lots, so the part of a lot that is
 * still unspent is what its available balance holds beyond the lots newer than it:
 *
 * <pre>unspent(lot) = clamp(available − Σ left(newer lots), 0, left(lot))</pre>
 *
 * where {@code available} is the balance less what requests in flight hold (counted as spent, from
 * the oldest lot). That is what expires. An expiry runs under the organization's hold lock (the one
 * spend leases and refunds take), after this instance's leases of the organization were retired, so
 * it never takes credits a lease or request holds; it is posted once, under a key of the
 * purchase's.
 */
public final class CreditExpiry {

  private static final Logger LOG = Logger.getLogger(CreditExpiry.class.getName());
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZoneOffset.UTC);

  /** What a pass did: purchases warned of and expired, and the credits that expired. */
  public record Pass(int warned, int expired, Credits expiredCredits) {}

  /** A lot of an organization as the ledger has it now. */
  private record Lot(
      long purchase,
      boolean expires,
      Instant boughtAt,
      long left,
      boolean warned,
      boolean expired) {}

  private final TransactionRunner transactions;
  private final Ledger ledger;
  private final LeaseRetirement leases;
  private final Mailer mailer;
  private final Clock clock;
  private final Duration lifetime;
  private final Duration warning;

  public CreditExpiry(
      TransactionRunner transactions,
      Ledger ledger,
      LeaseRetirement leases,
      Mailer mailer,
      Clock clock,
      Duration lifetime,
      Duration warning) {
    if (lifetime.isZero()
        || lifetime.isNegative()
        || warning.isNegative()
        || warning.compareTo(lifetime) >= 0) {
      throw new IllegalArgumentException(
          "credits live a positive while, and are warned of less than that before they expire");
    }
    this.transactions = transactions;
    this.ledger = ledger;
    this.leases = leases;
    this.mailer = mailer;
    this.clock = clock;
    this.lifetime = lifetime;
    this.warning = warning;
  }

  /** How long bought credits last. */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * One pass: expires what is due, then warns of what will be. Safe to run on every instance at
   * once.
   */
  public Pass run() {
    Instant now = clock.instant();
    int expired = 0;
    long expiredNanos = 0;
    for (OrganizationId org : organizationsWith(now.minus(lifetime), false)) {
      leases.retireLeases(org);
      long[] done = transactions.inTenant(org, c -> expire(c, org, now));
      expired += (int) done[0];
      expiredNanos += done[1];
    }
    int warned = 0;
    for (OrganizationId org : organizationsWith(now.minus(lifetime).plus(warning), true)) {
      leases.retireLeases(org); // what an idle lease holds is not spent
      List<OutgoingMail> mails = transactions.inTenant(org, c -> warn(c, org, now));
      warned += mails.isEmpty() ? 0 : 1;
      // mailed after the warning is recorded: a failed mail is logged, not repeated
      for (OutgoingMail mail : mails) {
        try {
          mailer.send(mail);
        } catch (RuntimeException e) {
          LOG.warning("a credit expiry warning to " + org + " could not be mailed: " + e);
        }
      }
    }
    return new Pass(warned, expired, Credits.ofNanos(expiredNanos));
  }

  /**
   * The organizations with a purchase bought at or before {@code boughtBy} that is not yet expired
   * ({@code warning}: nor warned of).
   */
  private List<OrganizationId> organizationsWith(Instant boughtBy, boolean warning) {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT DISTINCT t.org_id FROM ledger_transactions t"
                      + " LEFT JOIN credit_expiries x ON x.purchase_transaction_id = t.id"
                      + " WHERE t.kind = 'purchase' AND t.created_at <= ?"
                      + " AND (x.purchase_transaction_id IS NULL OR (x.expired_at IS NULL"
                      + (warning ? " AND x.warned_at IS NULL))" : "))"))) {
            query.setTimestamp(1, Timestamp.from(boughtBy));
            List<OrganizationId> found = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                found.add(new OrganizationId(rows.getObject(1, UUID.class)));
              }
            }
            return found;
          }
        });
  }

  /** Expires the organization's due lots, oldest first; returns how many and how much. */
  private long[] expire(Connection c, OrganizationId org, Instant now) throws SQLException {
    long available = lockAvailable(c, org);
    List<Lot> lots = lots(c, org);
    long[] newer = newerLeft(lots);
    long count = 0;
    long total = 0;
    for (int i = 0; i < lots.size(); i++) {
      Lot lot = lots.get(i);
      if (!lot.expires() || lot.expired() || lot.boughtAt().plus(lifetime).isAfter(now)) {
        continue;
      }
      long amount = unspent(lot, available, newer[i]);
      Long posted = null;
      if (amount > 0) {
        Credits credits = Credits.ofNanos(amount);
        posted =
            ledger
                .postAgainst(
                    c,
                    org,
                    lot.purchase(),
                    "expiry",
                    "credit-expiry:" + lot.purchase(),
                    "Credits bought " + DAY.format(lot.boughtAt()) + " expired",
                    List.of(
                        Leg.organization(credits.negate()), Leg.system("expired_credits", credits)))
                .orElseThrow(); // the lock and the expired flag keep it to once
        available -= amount;
      }
      try (PreparedStatement upsert =
          c.prepareStatement(
              "INSERT INTO credit_expiries (purchase_transaction_id, org_id, expired_at,"
                  + " expired_nanos, ledger_transaction_id) VALUES (?, ?, ?, ?, ?)"
                  + " ON CONFLICT (purchase_transaction_id) DO UPDATE SET"
                  + " expired_at = EXCLUDED.expired_at, expired_nanos = EXCLUDED.expired_nanos,"
                  + " ledger_transaction_id = EXCLUDED.ledger_transaction_id")) {
        upsert.setLong(1, lot.purchase());
        upsert.setObject(2, org.value());
        upsert.setTimestamp(3, Timestamp.from(now));
        upsert.setLong(4, amount);
        upsert.setObject(5, posted, Types.BIGINT);
        upsert.executeUpdate();
      }
      count++;
      total += amount;
    }
    return new long[] {count, total};
  }

  /**
   * Records a warning for each lot entering its warning period, and returns the mails to send for
   * those of which something would expire if nothing more were spent.
   */
  private List<OutgoingMail> warn(Connection c, OrganizationId org, Instant now)
      throws SQLException {
    long available = lockAvailable(c, org);
    List<Lot> lots = lots(c, org);
    long[] newer = newerLeft(lots);
    long expiring = 0;
    Instant soonest = null;
    for (int i = 0; i < lots.size(); i++) {
      Lot lot = lots.get(i);
      Instant expiresAt = lot.boughtAt().plus(lifetime);
      if (!lot.expires()
          || lot.expired()
          || lot.warned()
          || expiresAt.minus(warning).isAfter(now)) {
        continue;
      }
      long amount = unspent(lot, available, newer[i]);
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO credit_expiries (purchase_transaction_id, org_id, warned_at,"
                  + " warned_nanos) VALUES (?, ?, ?, ?) ON CONFLICT (purchase_transaction_id)"
                  + " DO UPDATE SET warned_at = EXCLUDED.warned_at,"
                  + " warned_nanos = EXCLUDED.warned_nanos")) {
        insert.setLong(1, lot.purchase());
        insert.setObject(2, org.value());
        insert.setTimestamp(3, Timestamp.from(now));
        insert.setLong(4, amount);
        insert.executeUpdate();
      }
      if (amount > 0) {
        expiring += amount;
        soonest = soonest == null || expiresAt.isBefore(soonest) ? expiresAt : soonest;
      }
    }
    if (expiring == 0) {
      return List.of();
    }
    String text =
        "$"
            + Credits.ofNanos(expiring).toUsdString()
            + " of your organization's Switchboard credits will expire on "
            + DAY.format(soonest)
            + " (credits last "
            + lifetime.toDays()
            + " days after they were bought, and the oldest are spent first).\n\n"
            + "Credits spent before then do not expire; the Credits page shows what you have.\n";
    List<OutgoingMail> mails = new ArrayList<>();
    for (String email : billingEmails(c, org)) {
      mails.add(new OutgoingMail(email, "Switchboard credits expire soon", text));
    }
    return mails;
  }

  /** What of {@code lot} is still unspent: what the available balance holds beyond newer lots. */
  private static long unspent(Lot lot, long available, long newerLeft) {
    return Math.max(0, Math.min(available - newerLeft, Math.max(0, lot.left())));
  }

  /** For each lot, what is left of the lots newer than it. */
  private static long[] newerLeft(List<Lot> lots) {
    long[] newer = new long[lots.size()];
    long sum = 0;
    for (int i = lots.size() - 1; i >= 0; i--) {
      newer[i] = sum;
      sum = Math.addExact(sum, Math.max(0, lots.get(i).left()));
    }
    return newer;
  }

  /**
   * Locks the organization's holds (as a spend lease and a refund do) and returns its balance less
   * what is held.
   */
  private static long lockAvailable(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT 1 FROM credit_holds WHERE org_id = ? FOR UPDATE")) {
      lock.setObject(1, org.value());
      lock.executeQuery().close();
    }
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT a.balance_nanos - h.reserved_nanos FROM ledger_accounts a"
                + " JOIN credit_holds h ON h.org_id = a.org_id"
                + " WHERE a.org_id = ? AND a.kind = 'org_credits'")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /**
   * The organization's lots, oldest first: its grants and purchases, each with its credit less what
   * the movements naming it took.
   */
  private static List<Lot> lots(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT l.id, l.kind = 'purchase', l.created_at, n.left_nanos,"
                + " x.warned_at IS NOT NULL, x.expired_at IS NOT NULL"
                + " FROM (SELECT coalesce(t.purchase_transaction_id, t.id) AS lot,"
                + "   sum(e.amount_nanos) AS left_nanos"
                + "   FROM ledger_transactions t"
                + "   JOIN ledger_entries e ON e.transaction_id = t.id"
                + "   JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'org_credits'"
                + "   WHERE t.org_id = ? AND t.kind <> 'usage'"
                + "   AND (t.kind IN ('grant', 'purchase') OR t.purchase_transaction_id IS NOT NULL)"
                + "   GROUP BY 1) n"
                + " JOIN ledger_transactions l ON l.id = n.lot"
                + " LEFT JOIN credit_expiries x ON x.purchase_transaction_id = l.id"
                + " ORDER BY l.created_at, l.id")) {
      query.setObject(1, org.value());
      List<Lot> lots = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          lots.add(
              new Lot(
                  rows.getLong(1),
                  rows.getBoolean(2),
                  rows.getTimestamp(3).toInstant(),
                  rows.getLong(4),
                  rows.getBoolean(5),
                  rows.getBoolean(6)));
        }
      }
      return lots;
    }
  }

  private static List<String> billingEmails(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id"
                + " WHERE m.org_id = ? AND m.role IN ('owner', 'billing') ORDER BY u.email")) {
      query.setObject(1, org.value());
      List<String> emails = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          emails.add(rows.getString(1));
        }
      }
      return emails;
    }
  }
}
