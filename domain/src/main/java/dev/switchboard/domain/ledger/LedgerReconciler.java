package dev.switchboard.domain.ledger;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks the ledger against itself and against the records money moved for. For every organization,
 * its balance must equal the sum of its account's entries (the trigger keeps it), and both must
 * equal what its records say it was given and spent: operator grants, plus credited card purchases,
 * auto top-ups and USDC transfers (a reversed transfer counts for nothing), less the cost of its
 * generations, less its refunds, less what its open and lost disputes took, less what expired.
 * Every ledger transaction's legs must sum to zero. Anything else is drift, which is reported and
 * never corrected here: a drift means a bug, to be looked at, not papered over.
 */
public final class LedgerReconciler {

  /** One organization whose books disagree: its balance, its entries, and what its records say. */
  public record Drift(OrganizationId org, Credits balance, Credits entries, Credits expected) {

    public Credits amount() {
      return balance.minus(expected);
    }
  }

  /**
   * What a check found. {@code overageRequests} and {@code overage} count the requests that cost
   * more than they reserved and by how much (billed in full, so not drift: the only way a request
   * takes a balance below what was available).
   */
  public record Report(
      int organizations,
      long unbalancedTransactions,
      List<Drift> drifts,
      long overageRequests,
      Credits overage) {

    public boolean clean() {
      return unbalancedTransactions == 0 && drifts.isEmpty();
    }
  }

  private final TransactionRunner transactions;

  public LedgerReconciler(TransactionRunner transactions) {
    this.transactions = transactions;
  }

  /**
   * Checks every organization; each organization's books are read in one statement, so from one
   * snapshot.
   */
  public Report check() {
    return transactions.acrossTenants(
        c -> {
          long unbalanced;
          try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries"
                          + " GROUP BY transaction_id HAVING sum(amount_nanos) <> 0) t");
              ResultSet rows = query.executeQuery()) {
            rows.next();
            unbalanced = rows.getLong(1);
          }
          int organizations = 0;
          List<Drift> drifts = new ArrayList<>();
          try (PreparedStatement query = c.prepareStatement(BOOKS);
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              organizations++;
              long balance = rows.getLong(2);
              long entries = rows.getLong(3);
              long expected =
                  rows.getLong(4)
                      + rows.getLong(5)
                      - rows.getLong(6)
                      - rows.getLong(7)
                      - rows.getLong(8)
                      - rows.getLong(9);
              if (balance != entries || balance != expected) {
                drifts.add(
                    new Drift(
                        new OrganizationId(rows.getObject(1, UUID.class)),
                        Credits.ofNanos(balance),
                        Credits.ofNanos(entries),
                        Credits.ofNanos(expected)));
              }
            }
          }
          long overageRequests;
          long overage;
          try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT count(*), coalesce(sum(cost_nanos - reserved_nanos), 0)"
                          + " FROM generations WHERE cost_nanos > reserved_nanos");
              ResultSet rows = query.executeQuery()) {
            rows.next();
            overageRequests = rows.getLong(1);
            overage = rows.getLong(2);
          }
          return new Report(
              organizations,
              unbalanced,
              List.copyOf(drifts),
              overageRequests,
              Credits.ofNanos(overage));
        });
  }

  /**
   * Per organization: its balance, the sum of its entries, and from its records: grants (which have
   * no record but their ledger transaction), credited card purchases, usage, refunds (their legs
   * out of the organization's account; refused ones were given back), disputes and expiries.
   */
  private static final String BOOKS =
      "SELECT a.org_id, a.balance_nanos,"
          + " (SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e"
          + "   WHERE e.account_id = a.id),"
          + " (SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_entries e"
          + "   JOIN ledger_transactions t ON t.id = e.transaction_id"
          + "   WHERE e.account_id = a.id AND t.kind = 'grant'),"
          + " (SELECT coalesce(sum(k.credits_nanos), 0) FROM stripe_checkouts k"
          + "   WHERE k.org_id = a.org_id AND k.state = 'credited')"
          + " + (SELECT coalesce(sum(t.credits_nanos), 0) FROM auto_top_ups t"
          + "   WHERE t.org_id = a.org_id AND t.state = 'succeeded')"
          + " + (SELECT coalesce(sum(x.credits_nanos), 0) FROM crypto_transfers x"
          + "   WHERE x.org_id = a.org_id AND x.state = 'credited'),"
          + " (SELECT coalesce(sum(g.cost_nanos), 0) FROM generations g WHERE g.org_id = a.org_id),"
          + " (SELECT coalesce(-sum(e.amount_nanos), 0) FROM stripe_refunds r"
          + "   JOIN ledger_entries e ON e.transaction_id = r.ledger_transaction_id"
          + "    AND e.account_id = a.id WHERE r.org_id = a.org_id AND r.state <> 'failed'),"
          + " (SELECT coalesce(sum(d.amount_nanos), 0) FROM stripe_disputes d"
          + "   WHERE d.org_id = a.org_id AND d.state IN ('open', 'lost')),"
          + " (SELECT coalesce(sum(x.expired_nanos), 0) FROM credit_expiries x"
          + "   WHERE x.org_id = a.org_id AND x.expired_at IS NOT NULL)"
          + " FROM ledger_accounts a WHERE a.kind = 'org_credits' ORDER BY a.org_id";
}
