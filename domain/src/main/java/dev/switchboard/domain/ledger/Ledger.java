package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Accounts, grants and balances. An organization's credits are one {@code org_credits} account;
 * money comes from system accounts ({@code operator_grants}, {@code stripe_purchases}, {@code
 * crypto_purchases}) and goes to them ({@code inference_usage}, {@code payment_fees}), each
 * movement a transaction whose entries sum to zero.
 */
public final class Ledger {

  private final TransactionRunner transactions;
  private final Clock clock;

  public Ledger(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Opens the organization's credits account, inside the transaction that founds the organization.
   */
  public void openAccount(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ledger_accounts (org_id, kind) VALUES (?, 'org_credits')")) {
      insert.setObject(1, org.value());
      insert.executeUpdate();
    }
  }

  /**
   * Credits the organization from the operator. The idempotency key makes it safe to retry: a
   * second call with the same key and request returns the first transaction and moves nothing; with
   * a different request it is refused. Concurrent duplicates are settled by the key's unique
   * constraint.
   */
  public GrantReceipt grant(
      OrganizationId org,
      Credits amount,
      String idempotencyKey,
      String requestDigest,
      String description) {
    if (!amount.isPositive()) {
      throw new IllegalArgumentException("a grant must be a positive amount");
    }
    return transactions.inTenant(
        org,
        c -> {
          Long txId =
              newTransaction(
                  c,
                  org,
                  "grant",
                  scopedKey(org, idempotencyKey),
                  requestDigest,
                  description,
                  null);
          if (txId == null) {
            return replay(c, org, idempotencyKey, requestDigest);
          }
          long orgAccount = orgAccountId(c, org);
          long grants = systemAccountId(c, "operator_grants");
          insertEntry(c, org, txId, orgAccount, amount.nanos());
          insertEntry(c, org, txId, grants, -amount.nanos());
          return new GrantReceipt(txId, amount, balanceOf(c, org).balance(), false);
        });
  }

  /**
   * Posts a paid purchase inside the caller's transaction: what the payment brought in ({@code
   * credits} plus {@code fee}) leaves the system account {@code paidFrom} ({@code
   * stripe_purchases}), the credits go to the organization and the fee to {@code payment_fees}; the
   * three legs sum to zero. The idempotency key is global (the caller makes it unique per
   * purchase): a second post with it moves nothing and returns empty.
   */
  public Optional<Long> postPurchase(
      Connection c,
      OrganizationId org,
      Credits credits,
      Credits fee,
      String paidFrom,
      String idempotencyKey,
      String description)
      throws SQLException {
    return postPayment(
        c, org, null, "purchase", 1, credits, fee, paidFrom, idempotencyKey, description);
  }

  /**
   * Takes back a purchase whose payment disappeared (a chain reorganisation removed the transfer
   * after it was credited), inside the caller's transaction: the legs of {@link #postPurchase} with
   * their signs turned, as a transaction of kind {@code reversal}. The organization's balance may
   * go below zero when the credits were spent meanwhile. It names {@code purchase}, the purchase's
   * ledger transaction. The idempotency key is global: a second post with it moves nothing and
   * returns empty.
   */
  public Optional<Long> postReversal(
      Connection c,
      OrganizationId org,
      long purchase,
      Credits credits,
      Credits fee,
      String paidFrom,
      String idempotencyKey,
      String description)
      throws SQLException {
    return postPayment(
        c, org, purchase, "reversal", -1, credits, fee, paidFrom, idempotencyKey, description);
  }

  private Optional<Long> postPayment(
      Connection c,
      OrganizationId org,
      Long purchase,
      String kind,
      int sign,
      Credits credits,
      Credits fee,
      String paidFrom,
      String idempotencyKey,
      String description)
      throws SQLException {
    if (!credits.isPositive() || fee.isNegative()) {
      throw new IllegalArgumentException(
          "a purchase credits a positive amount for a fee of zero or more");
    }
    Long txId = newTransaction(c, org, kind, idempotencyKey, null, description, purchase);
    if (txId == null) {
      return Optional.empty();
    }
    insertEntry(c, org, txId, systemAccountId(c, paidFrom), -sign * credits.plus(fee).nanos());
    insertEntry(c, org, txId, orgAccountId(c, org), sign * credits.nanos());
    if (fee.isPositive()) {
      insertEntry(c, org, txId, systemAccountId(c, "payment_fees"), sign * fee.nanos());
    }
    return Optional.of(txId);
  }

  /** One leg of a posting: an amount into the organization's credits or into a system account. */
  public record Leg(String systemAccount, Credits amount) {

    /** Into the organization's own credits account (negative: out of it). */
    public static Leg organization(Credits amount) {
      return new Leg(null, amount);
    }

    /** Into the platform's account of {@code kind} (negative: out of it). */
    public static Leg system(String kind, Credits amount) {
      return new Leg(kind, amount);
    }
  }

  /**
   * Posts a transaction of the organization inside the caller's transaction that concerns none of
   * its purchases in particular. The legs must sum to zero; legs of zero are left out. The
   * idempotency key is global (the caller makes it unique per movement): a second post with it
   * moves nothing and returns empty.
   */
  public Optional<Long> post(
      Connection c,
      OrganizationId org,
      String kind,
      String idempotencyKey,
      String description,
      List<Leg> legs)
      throws SQLException {
    return post(c, org, null, kind, idempotencyKey, description, legs);
  }

  /**
   * Posts, as {@link #post(Connection, OrganizationId, String, String, String, List)} does, a
   * movement that takes credits from one purchase or gives them back (a refund, a dispute and its
   * closing, an expiry): it names {@code purchase}, the purchase's ledger transaction, so that what
   * is left of each purchase can be read from the ledger (see {@link CreditExpiry}).
   */
  public Optional<Long> postAgainst(
      Connection c,
      OrganizationId org,
      long purchase,
      String kind,
      String idempotencyKey,
      String description,
      List<Leg> legs)
      throws SQLException {
    return post(c, org, Long.valueOf(purchase), kind, idempotencyKey, description, legs);
  }

  private Optional<Long> post(
      Connection c,
      OrganizationId org,
      Long purchase,
      String kind,
      String idempotencyKey,
      String description,
      List<Leg> legs)
      throws SQLException {
    long sum = 0;
    for (Leg leg : legs) {
      sum = Math.addExact(sum, leg.amount().nanos());
    }
    if (sum != 0 || legs.stream().noneMatch(leg -> !leg.amount().isZero())) {
      throw new IllegalArgumentException("a posting's legs move something and sum to zero");
    }
    Long txId = newTransaction(c, org, kind, idempotencyKey, null, description, purchase);
    if (txId == null) {
      return Optional.empty();
    }
    for (Leg leg : legs) {
      if (!leg.amount().isZero()) {
        long account =
            leg.systemAccount() == null
                ? orgAccountId(c, org)
                : systemAccountId(c, leg.systemAccount());
        insertEntry(c, org, txId, account, leg.amount().nanos());
      }
    }
    return Optional.of(txId);
  }

  /**
   * Opens the organization's ledger transaction of {@code kind} under {@code idempotencyKey}; null,
   * writing nothing, when a transaction with that key exists already (its legs are the caller's).
   */
  private Long newTransaction(
      Connection c,
      OrganizationId org,
      String kind,
      String idempotencyKey,
      String requestDigest,
      String description,
      Long purchase)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ledger_transactions (org_id, kind, idempotency_key, request_digest,"
                + " description, created_at, purchase_transaction_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")) {
      insert.setObject(1, org.value());
      insert.setString(2, kind);
      insert.setString(3, idempotencyKey);
      insert.setString(4, requestDigest);
      insert.setString(5, description);
      insert.setTimestamp(6, Timestamp.from(clock.instant()));
      insert.setObject(7, purchase, Types.BIGINT);
      try (ResultSet rows = insert.executeQuery()) {
        return rows.next() ? rows.getLong(1) : null;
      }
    }
  }

  private GrantReceipt replay(
      Connection c, OrganizationId org, String idempotencyKey, String requestDigest)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT t.id, t.request_digest, e.amount_nanos FROM ledger_transactions t"
                + " JOIN ledger_entries e ON e.transaction_id = t.id"
                + " JOIN ledger_accounts a ON a.id = e.account_id AND a.org_id = t.org_id"
                + " WHERE t.idempotency_key = ? AND t.org_id = ?")) {
      query.setString(1, scopedKey(org, idempotencyKey));
      query.setObject(2, org.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next() || !Objects.equals(rows.getString(2), requestDigest)) {
          throw new IdempotencyConflictException(idempotencyKey);
        }
        return new GrantReceipt(
            rows.getLong(1), Credits.ofNanos(rows.getLong(3)), balanceOf(c, org).balance(), true);
      }
    }
  }

  public AccountBalance balance(OrganizationId org) {
    return transactions.inTenant(org, c -> balanceOf(c, org));
  }

  public Optional<AccountBalance> findBalance(OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          try {
            return Optional.of(balanceOf(c, org));
          } catch (IllegalStateException e) {
            return Optional.empty();
          }
        });
  }

  /**
   * A page of the organization's statement, newest first: each credit that came in, and its usage
   * summed per UTC day.
   */
  public List<StatementLine> statement(OrganizationId org, int offset, int limit) {
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT at, kind, description, amount, requests FROM ("
                      + " SELECT t.created_at AS at, 'credit' AS kind, t.description,"
                      + " e.amount_nanos AS amount, 0 AS requests"
                      + " FROM ledger_transactions t"
                      + " JOIN ledger_entries e ON e.transaction_id = t.id"
                      + " JOIN ledger_accounts a ON a.id = e.account_id AND a.org_id = t.org_id"
                      + " WHERE t.org_id = ? AND t.kind <> 'usage'"
                      + " UNION ALL"
                      + " SELECT date_trunc('day', t.created_at, 'UTC'), 'usage', NULL,"
                      + " sum(e.amount_nanos), count(DISTINCT t.id)"
                      + " FROM ledger_transactions t"
                      + " JOIN ledger_entries e ON e.transaction_id = t.id"
                      + " JOIN ledger_accounts a ON a.id = e.account_id AND a.org_id = t.org_id"
                      + " WHERE t.org_id = ? AND t.kind = 'usage'"
                      + " GROUP BY 1) lines"
                      + " ORDER BY at DESC, kind LIMIT ? OFFSET ?")) {
            query.setObject(1, org.value());
            query.setObject(2, org.value());
            query.setInt(3, limit);
            query.setInt(4, offset);
            List<StatementLine> lines = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                boolean usage = rows.getString(2).equals("usage");
                lines.add(
                    new StatementLine(
                        rows.getTimestamp(1).toInstant(),
                        usage ? StatementLine.Kind.USAGE_DAY : StatementLine.Kind.CREDIT,
                        rows.getString(3),
                        Credits.ofNanos(rows.getLong(4)),
                        rows.getLong(5)));
              }
            }
            return lines;
          }
        });
  }

  private AccountBalance balanceOf(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT a.balance_nanos, h.reserved_nanos, a.total_in_nanos, a.total_out_nanos"
                + " FROM ledger_accounts a JOIN credit_holds h ON h.org_id = a.org_id"
                + " WHERE a.org_id = ? AND a.kind = 'org_credits'")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("organization " + org + " has no credits account");
        }
        return new AccountBalance(
            Credits.ofNanos(rows.getLong(1)),
            Credits.ofNanos(rows.getLong(2)),
            Credits.ofNanos(rows.getLong(3)),
            Credits.ofNanos(rows.getLong(4)));
      }
    }
  }

  static long orgAccountId(Connection c, OrganizationId org) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT id FROM ledger_accounts WHERE org_id = ? AND kind = 'org_credits'")) {
      query.setObject(1, org.value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("organization " + org + " has no credits account");
        }
        return rows.getLong(1);
      }
    }
  }

  static long systemAccountId(Connection c, String kind) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT id FROM ledger_accounts WHERE org_id IS NULL AND kind = ?")) {
      query.setString(1, kind);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("no system account " + kind);
        }
        return rows.getLong(1);
      }
    }
  }

  /** One leg of the organization's ledger transaction {@code transactionId}. */
  static void insertEntry(
      Connection c, OrganizationId org, long transactionId, long accountId, long amountNanos)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, transactionId);
      insert.setObject(2, org.value());
      insert.setLong(3, accountId);
      insert.setLong(4, amountNanos);
      insert.executeUpdate();
    }
  }

  /** Idempotency keys are the caller's, so they are unique per organization, not globally. */
  private static String scopedKey(OrganizationId org, String idempotencyKey) {
    return "grant:" + org + ":" + idempotencyKey;
  }
}
