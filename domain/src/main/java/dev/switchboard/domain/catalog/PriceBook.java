package dev.switchboard.domain.catalog;

import dev.switchboard.domain.SqlParameters;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.money.Pricing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The history of every endpoint's price. Loading a catalog records a new price row, effective now,
 * for each endpoint whose price differs from its latest one, and answers the id of the row in
 * effect, which each generation references.
 */
public final class PriceBook {

  private final TransactionRunner transactions;
  private final Clock clock;

  public PriceBook(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Price row id in effect for each endpoint, keyed by {@link CatalogEndpoint#priceKey()}. */
  public Map<String, Long> record(Catalog catalog) {
    Instant now = clock.instant();
    return transactions.inTransaction(
        c -> {
          // one writer at a time, so two instances starting together do not both insert a new price
          try (PreparedStatement lock =
              c.prepareStatement(
                  "SELECT pg_advisory_xact_lock(hashtext('switchboard.price_book'))")) {
            lock.execute();
          }
          Map<String, Long> ids = new HashMap<>();
          for (CatalogEndpoint endpoint : catalog.endpoints()) {
            ids.put(endpoint.priceKey(), currentOrNew(c, endpoint, now));
          }
          return ids;
        });
  }

  private static long currentOrNew(Connection c, CatalogEndpoint endpoint, Instant now)
      throws SQLException {
    try (PreparedStatement latest =
        c.prepareStatement(
            "SELECT id, prompt_nanos_per_mtok, completion_nanos_per_mtok, request_nanos,"
                + " cache_read_nanos_per_mtok, cache_write_nanos_per_mtok, reasoning_nanos_per_mtok,"
                + " image_nanos, web_search_nanos FROM endpoint_prices"
                + " WHERE model_id = ? AND provider_slug = ? ORDER BY effective_from DESC LIMIT 1")) {
      latest.setString(1, endpoint.modelId());
      latest.setString(2, endpoint.providerSlug());
      try (ResultSet rows = latest.executeQuery()) {
        if (rows.next() && pricing(rows).equals(endpoint.pricing())) {
          return rows.getLong(1);
        }
      }
    }
    Pricing p = endpoint.pricing();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO endpoint_prices (model_id, provider_slug, prompt_nanos_per_mtok,"
                + " completion_nanos_per_mtok, request_nanos, cache_read_nanos_per_mtok,"
                + " cache_write_nanos_per_mtok, reasoning_nanos_per_mtok, image_nanos, web_search_nanos,"
                + " effective_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, endpoint.modelId());
      insert.setString(2, endpoint.providerSlug());
      insert.setLong(3, p.promptPerMillion());
      insert.setLong(4, p.completionPerMillion());
      insert.setLong(5, p.perRequest());
      SqlParameters.setLong(insert, 6, p.cacheReadPerMillion());
      SqlParameters.setLong(insert, 7, p.cacheWritePerMillion());
      SqlParameters.setLong(insert, 8, p.reasoningPerMillion());
      SqlParameters.setLong(insert, 9, p.perImage());
      SqlParameters.setLong(insert, 10, p.perWebSearch());
      insert.setTimestamp(11, Timestamp.from(now));
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** The price a generation was charged at, from the row it references. */
  public Pricing priceById(long id) {
    return transactions.withConnection(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, prompt_nanos_per_mtok, completion_nanos_per_mtok, request_nanos,"
                      + " cache_read_nanos_per_mtok, cache_write_nanos_per_mtok, reasoning_nanos_per_mtok,"
                      + " image_nanos, web_search_nanos FROM endpoint_prices WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                throw new IllegalArgumentException("no price row " + id);
              }
              return pricing(rows);
            }
          }
        });
  }

  private static Pricing pricing(ResultSet rows) throws SQLException {
    return new Pricing(
        rows.getLong(2),
        rows.getLong(3),
        rows.getLong(4),
        nullableLong(rows, 5),
        nullableLong(rows, 6),
        nullableLong(rows, 7),
        nullableLong(rows, 8),
        nullableLong(rows, 9));
  }

  private static Long nullableLong(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }
}
