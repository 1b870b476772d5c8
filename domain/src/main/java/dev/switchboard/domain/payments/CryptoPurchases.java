package dev.switchboard.domain.payments;

import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserId;
import dev.switchboard.domain.ledger.LeaseRetirement;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Buying credits with USDC. A purchase is recorded with the exact amount due and a deposit address
 * of its own, the non-hardened child of the operator's extended public key at an index drawn from a
 * database sequence (so no two purchases, on any instance, share an address, and the server never
 * holds a key that can spend). The chain watcher reports what it reads from the chain; this class
 * records each transfer to a deposit address once, and credits, drops or reverses it once, each
 * under the transfer row's lock and an idempotency key of the transfer's own in the ledger.
 */
public final class CryptoPurchases {

  /** The system account a USDC payment's money comes from. */
  static final String PAID_FROM = "crypto_purchases";

  private static final String PURCHASE_COLUMNS =
      "SELECT p.id, p.org_id, p.created_by, p.credits_nanos, p.fee_nanos, p.amount_due_micros,"
          + " p.deposit_index, p.deposit_address, p.expires_at, p.created_at,"
          + " coalesce(sum(t.amount_micros) FILTER (WHERE t.state = 'pending'), 0),"
          + " coalesce(sum(t.amount_micros) FILTER (WHERE t.state = 'credited'), 0),"
          + " coalesce(sum(t.credits_nanos) FILTER (WHERE t.state = 'credited'), 0),"
          + " count(t.id) FILTER (WHERE t.state = 'reversed')"
          + " FROM crypto_purchases p LEFT JOIN crypto_transfers t ON t.purchase_id = p.id";
  private static final String TRANSFER_COLUMNS =
      "SELECT id, org_id, purchase_id, tx_hash, log_index, block_number, block_hash,"
          + " amount_micros, state FROM crypto_transfers";

  private final TransactionRunner transactions;
  private final Ledger ledger;
  private final ExtendedPublicKey depositKey;
  private final UsdcTerms terms;
  private final Clock clock;
  private final LeaseRetirement leases;

  /**
   * @param leases retires this instance's spend leases of an organization whose balance a reversal
   *     is about to lower
   */
  public CryptoPurchases(
      TransactionRunner transactions,
      Ledger ledger,
      ExtendedPublicKey depositKey,
      UsdcTerms terms,
      Clock clock,
      LeaseRetirement leases) {
    this.transactions = transactions;
    this.ledger = ledger;
    this.depositKey = depositKey;
    this.terms = terms;
    this.clock = clock;
    this.leases = leases;
  }

  public UsdcTerms terms() {
    return terms;
  }

  /** Whether the actor may buy credits for the organization (owners and billing members). */
  public boolean mayBuy(Actor actor, OrganizationId org) {
    return Buyers.mayBuy(transactions, actor, org);
  }

  /**
   * Records a USDC purchase of {@code credits} for the organization, with its deposit address and
   * the amount due, offered until the terms' validity has passed.
   *
   * @throws AccountRefusedException when the actor may not buy there (forbidden, or not found for a
   *     stranger) or the amount is outside the terms (invalid); nothing is written then
   */
  public UsdcPurchase start(Actor actor, OrganizationId org, Credits credits) {
    UsdcQuote quote = terms.quote(credits);
    UsdcPurchaseId id = UsdcPurchaseId.newId();
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        c -> {
          Actor.Member member = Buyers.member(c, org, actor, "buying credits");
          long index;
          String address;
          while (true) {
            index = nextIndex(c);
            try {
              address = depositKey.child(index).ethereumAddress();
              break;
            } catch (ExtendedPublicKey.InvalidChildException e) {
              // BIP32 skips such an index; so does the sequence
            }
          }
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO crypto_purchases (id, org_id, created_by, credits_nanos, fee_nanos,"
                      + " amount_due_micros, deposit_index, deposit_address, expires_at,"
                      + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, id.value());
            insert.setObject(2, org.value());
            insert.setObject(3, member.user().value());
            insert.setLong(4, quote.credits().nanos());
            insert.setLong(5, quote.fee().nanos());
            insert.setLong(6, quote.amountDueMicros());
            insert.setLong(7, index);
            insert.setString(8, address);
            insert.setTimestamp(9, Timestamp.from(now.plus(terms.validity())));
            insert.setTimestamp(10, Timestamp.from(now));
            insert.executeUpdate();
          }
          return find(c, org, id).orElseThrow();
        });
  }

  /** One of the organization's USDC purchases, for a member who may see its credits. */
  public Optional<UsdcPurchase> find(Actor actor, OrganizationId org, UsdcPurchaseId id) {
    return transactions.inTenant(
        org,
        c -> {
          Role role;
          try {
            role = MembershipService.roleOf(c, org, actor);
          } catch (AccountRefusedException e) {
            return Optional.empty();
          }
          return role.can(Permission.VIEW_CREDITS) ? find(c, org, id) : Optional.empty();
        });
  }

  // --- the chain watcher's side: platform work across organizations ---------------------------

  /** How far the watcher has read {@code chain}; empty before its first scan. */
  public Optional<ChainBlock> cursor(UsdcChain chain) {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT block_number, block_hash FROM crypto_chain_cursors"
                      + " WHERE chain_id = ? AND token_address = ?")) {
            query.setLong(1, chain.chainId());
            query.setString(2, chain.tokenAddress());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(new ChainBlock(rows.getLong(1), rows.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * The deposit addresses to watch: every purchase's whose offer has not ended longer ago than the
   * late-payment window. The watcher reads them after it has read the chain's head, so a purchase
   * missing here was recorded after that head and cannot have been paid in a block up to it.
   */
  public List<String> watchedAddresses() {
    Instant since = clock.instant().minus(terms.latePaymentWindow());
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT deposit_address FROM crypto_purchases WHERE expires_at > ?"
                      + " ORDER BY deposit_index")) {
            query.setTimestamp(1, Timestamp.from(since));
            List<String> addresses = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                addresses.add(rows.getString(1));
              }
            }
            return addresses;
          }
        });
  }

  /**
   * Records what a scan of the chain up to {@code scannedTo} found and moves the cursor there, in
   * one transaction: a transfer seen before (same transaction, log and block) is not recorded
   * again, and one to an address that is no purchase's is ignored. A dropped transfer seen again in
   * the very block it was dropped from (the chain went back to that fork) is pending again; a
   * reversed one stays reversed and flagged, for the operator to settle by hand.
   *
   * @return how many transfers were new or pending again
   */
  public int recordScan(UsdcChain chain, List<ObservedTransfer> transfers, ChainBlock scannedTo) {
    Timestamp now = Timestamp.from(clock.instant());
    return transactions.acrossTenants(
        c -> {
          int recorded = 0;
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO crypto_transfers (org_id, purchase_id, tx_hash, log_index,"
                      + " block_hash, block_number, from_address, amount_micros, state, seen_at)"
                      + " SELECT p.org_id, p.id, ?, ?, ?, ?, ?, ?, 'pending', ?"
                      + " FROM crypto_purchases p WHERE p.deposit_address = ?"
                      + " ON CONFLICT (tx_hash, log_index, block_hash) DO UPDATE"
                      + " SET state = 'pending', removed_at = NULL"
                      + " WHERE crypto_transfers.state = 'dropped'")) {
            for (ObservedTransfer transfer : transfers) {
              insert.setString(1, transfer.txHash());
              insert.setLong(2, transfer.logIndex());
              insert.setString(3, transfer.block().hash());
              insert.setLong(4, transfer.block().number());
              insert.setString(5, transfer.from());
              insert.setLong(6, transfer.amountMicros());
              insert.setTimestamp(7, now);
              insert.setString(8, transfer.to());
              recorded += insert.executeUpdate();
            }
          }
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO crypto_chain_cursors (chain_id, token_address, block_number,"
                      + " block_hash, updated_at) VALUES (?, ?, ?, ?, ?)"
                      + " ON CONFLICT (chain_id, token_address) DO UPDATE SET"
                      + " block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,"
                      + " updated_at = EXCLUDED.updated_at")) {
            upsert.setLong(1, chain.chainId());
            upsert.setString(2, chain.tokenAddress());
            upsert.setLong(3, scannedTo.number());
            upsert.setString(4, scannedTo.hash());
            upsert.setTimestamp(5, now);
            upsert.executeUpdate();
          }
          return recorded;
        });
  }

  /**
   * The transfers whose block the watcher must still check: every pending one, and the credited
   * ones in blocks from {@code creditedFromBlock} on (older ones are taken as final).
   */
  public List<TrackedTransfer> unsettled(long creditedFromBlock) {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  TRANSFER_COLUMNS
                      + " WHERE state = 'pending' OR (state = 'credited' AND block_number >= ?)"
                      + " ORDER BY block_number, id")) {
            query.setLong(1, creditedFromBlock);
            return transfers(query);
          }
        });
  }

  /** Credited transfers a reorganisation took back, newest first: for the operator to look at. */
  public List<TrackedTransfer> reversedTransfers() {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  TRANSFER_COLUMNS + " WHERE state = 'reversed' ORDER BY removed_at DESC, id")) {
            return transfers(query);
          }
        });
  }

  /**
   * Forgets a pending transfer whose block left the chain before it was confirmed: it is never
   * credited. False when it is no longer pending.
   */
  public boolean drop(long transferId) {
    return transactions.acrossTenants(
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE crypto_transfers SET state = 'dropped', removed_at = ?"
                      + " WHERE id = ? AND state = 'pending'")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setLong(2, transferId);
            return update.executeUpdate() == 1;
          }
        });
  }

  /**
   * Credits a pending transfer the watcher found confirmed, by the terms' rule, to its purchase's
   * organization, whether or not the purchase's offer has expired. False, moving nothing, when it
   * is no longer pending (credited or dropped by a concurrent watcher).
   */
  public boolean credit(long transferId) {
    return transactions.acrossTenants(
        c -> {
          Optional<TrackedTransfer> locked = lock(c, transferId);
          if (locked.isEmpty() || locked.get().state() != TrackedTransfer.State.PENDING) {
            return false;
          }
          TrackedTransfer transfer = locked.get();
          UsdcTerms.Split split = terms.split(transfer.amountMicros());
          Optional<Long> posted =
              ledger.postPurchase(
                  c,
                  transfer.org(),
                  split.credits(),
                  split.fee(),
                  PAID_FROM,
                  "usdc-transfer:" + key(transfer),
                  "USDC purchase");
          if (posted.isEmpty()) {
            return false; // cannot happen while the row lock holds
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE crypto_transfers SET state = 'credited', credits_nanos = ?,"
                      + " fee_nanos = ?, ledger_transaction_id = ?, credited_at = ? WHERE id = ?")) {
            update.setLong(1, split.credits().nanos());
            update.setLong(2, split.fee().nanos());
            update.setLong(3, posted.get());
            update.setTimestamp(4, Timestamp.from(clock.instant()));
            update.setLong(5, transferId);
            update.executeUpdate();
          }
          return true;
        });
  }

  /**
   * Reverses a credited transfer whose block left the chain: the credits and fee it posted go back
   * to {@code crypto_purchases} in a {@code reversal} transaction, and the transfer is flagged
   * {@code reversed} for the operator. This instance's spend leases of the organization are retired
   * first, so that what they held unused is not spent after the credits are gone. False, moving
   * nothing, when it is not credited.
   */
  public boolean reverse(long transferId) {
    Optional<TrackedTransfer> credited =
        transactions
            .acrossTenants(c -> transfer(c, transferId))
            .filter(t -> t.state() == TrackedTransfer.State.CREDITED);
    if (credited.isEmpty()) {
      return false;
    }
    leases.retireLeases(credited.get().org());
    return transactions.acrossTenants(
        c -> {
          Optional<TrackedTransfer> locked = lock(c, transferId);
          if (locked.isEmpty() || locked.get().state() != TrackedTransfer.State.CREDITED) {
            return false;
          }
          TrackedTransfer transfer = locked.get();
          long credits;
          long fee;
          long purchase;
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT credits_nanos, fee_nanos, ledger_transaction_id FROM crypto_transfers"
                      + " WHERE id = ?")) {
            query.setLong(1, transferId);
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              credits = rows.getLong(1);
              fee = rows.getLong(2);
              purchase = rows.getLong(3);
            }
          }
          Optional<Long> posted =
              ledger.postReversal(
                  c,
                  transfer.org(),
                  purchase,
                  Credits.ofNanos(credits),
                  Credits.ofNanos(fee),
                  PAID_FROM,
                  "usdc-reversal:" + key(transfer),
                  "USDC transfer reversed by a chain reorganisation");
          if (posted.isEmpty()) {
            return false;
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE crypto_transfers SET state = 'reversed', reversal_transaction_id = ?,"
                      + " removed_at = ? WHERE id = ?")) {
            update.setLong(1, posted.get());
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            update.setLong(3, transferId);
            update.executeUpdate();
          }
          return true;
        });
  }

  private static String key(TrackedTransfer transfer) {
    return transfer.txHash() + ":" + transfer.logIndex() + ":" + transfer.block().hash();
  }

  private static long nextIndex(Connection c) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT nextval('crypto_deposit_index')");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Optional<TrackedTransfer> transfer(Connection c, long transferId)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(TRANSFER_COLUMNS + " WHERE id = ?")) {
      query.setLong(1, transferId);
      List<TrackedTransfer> found = transfers(query);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static Optional<TrackedTransfer> lock(Connection c, long transferId) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(TRANSFER_COLUMNS + " WHERE id = ? FOR UPDATE")) {
      query.setLong(1, transferId);
      List<TrackedTransfer> found = transfers(query);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static List<TrackedTransfer> transfers(PreparedStatement query) throws SQLException {
    List<TrackedTransfer> transfers = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        transfers.add(
            new TrackedTransfer(
                rows.getLong(1),
                new OrganizationId(rows.getObject(2, UUID.class)),
                new UsdcPurchaseId(rows.getObject(3, UUID.class)),
                rows.getString(4),
                rows.getLong(5),
                new ChainBlock(rows.getLong(6), rows.getString(7)),
                rows.getLong(8),
                TrackedTransfer.State.valueOf(rows.getString(9).toUpperCase(Locale.ROOT))));
      }
    }
    return transfers;
  }

  private Optional<UsdcPurchase> find(Connection c, OrganizationId org, UsdcPurchaseId id)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(PURCHASE_COLUMNS + " WHERE p.org_id = ? AND p.id = ? GROUP BY p.id")) {
      query.setObject(1, org.value());
      query.setObject(2, id.value());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(purchase(rows)) : Optional.empty();
      }
    }
  }

  private UsdcPurchase purchase(ResultSet rows) throws SQLException {
    UsdcQuote quote =
        new UsdcQuote(
            Credits.ofNanos(rows.getLong(4)), Credits.ofNanos(rows.getLong(5)), rows.getLong(6));
    Instant expiresAt = rows.getTimestamp(9).toInstant();
    long confirming = rows.getLong(11);
    long credited = rows.getLong(12);
    UsdcPurchaseState state;
    if (credited > 0) {
      state = UsdcPurchaseState.CREDITED;
    } else if (confirming > 0) {
      state = UsdcPurchaseState.CONFIRMING;
    } else if (!clock.instant().isBefore(expiresAt)) {
      state = UsdcPurchaseState.EXPIRED;
    } else {
      state = UsdcPurchaseState.AWAITING_PAYMENT;
    }
    return new UsdcPurchase(
        new UsdcPurchaseId(rows.getObject(1, UUID.class)),
        new OrganizationId(rows.getObject(2, UUID.class)),
        new UserId(rows.getObject(3, UUID.class)),
        quote,
        rows.getLong(7),
        rows.getString(8),
        expiresAt,
        rows.getTimestamp(10).toInstant(),
        confirming,
        credited,
        Credits.ofNanos(rows.getLong(13)),
        rows.getInt(14),
        state);
  }
}
