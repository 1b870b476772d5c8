package dev.switchboard.domain.usage;

import dev.switchboard.domain.SqlParameters;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Generations in PostgreSQL; read back only by their own organization. */
public final class GenerationRepository {

  private final TransactionRunner transactions;

  public GenerationRepository(TransactionRunner transactions) {
    this.transactions = transactions;
  }

  public Optional<Generation> findForOrg(OrganizationId org, String id) {
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement("SELECT * FROM generations WHERE id = ? AND org_id = ?")) {
            query.setString(1, id);
            query.setObject(2, org.value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
          }
        });
  }

  /**
   * Inserts generations inside their settlement's transaction, as one batch. Each references the
   * ledger transaction that debited it (none when it cost nothing); a generation already recorded
   * is left as it is, so a settlement written twice records it once.
   */
  public static void insertAll(Connection c, List<Generation> generations) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO generations (id, org_id, api_key_id, model, provider_slug, upstream_model, price_id,"
                + " tokens_prompt, tokens_completion, tokens_reasoning, tokens_cached, usage_estimated,"
                + " cost_nanos, reserved_nanos, latency_ms, generation_time_ms, time_to_first_token_ms, streamed, cancelled,"
                + " finish_reason, native_finish_reason, api_type, http_referer, app_title,"
                + " ledger_transaction_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " (SELECT id FROM ledger_transactions WHERE idempotency_key = 'usage:' || ?), ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
      for (Generation g : generations) {
        int i = 1;
        insert.setString(i++, g.id());
        insert.setObject(i++, g.orgId().value());
        insert.setObject(i++, g.apiKeyId());
        insert.setString(i++, g.model());
        insert.setString(i++, g.providerSlug());
        insert.setString(i++, g.upstreamModel());
        insert.setLong(i++, g.priceId());
        insert.setLong(i++, g.usage().promptTokens());
        insert.setLong(i++, g.usage().completionTokens());
        insert.setLong(i++, g.usage().reasoningTokens());
        insert.setLong(i++, g.usage().cachedPromptTokens());
        insert.setBoolean(i++, g.usageEstimated());
        insert.setLong(i++, g.cost().nanos());
        insert.setLong(i++, g.reserved().nanos());
        insert.setLong(i++, g.latencyMillis());
        insert.setLong(i++, g.generationTimeMillis());
        SqlParameters.setLong(insert, i++, g.timeToFirstTokenMillis());
        insert.setBoolean(i++, g.streamed());
        insert.setBoolean(i++, g.cancelled());
        insert.setString(i++, g.finishReason());
        insert.setString(i++, g.nativeFinishReason());
        insert.setString(i++, g.apiType());
        insert.setString(i++, g.httpReferer());
        insert.setString(i++, g.appTitle());
        insert.setString(i++, g.id());
        insert.setTimestamp(i, Timestamp.from(g.createdAt()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** What the request reserved; its cost for a row written before that was recorded. */
  private static Credits reserved(ResultSet rows) throws SQLException {
    long reserved = rows.getLong("reserved_nanos");
    return rows.wasNull() ? Credits.ofNanos(rows.getLong("cost_nanos")) : Credits.ofNanos(reserved);
  }

  private static Generation map(ResultSet rows) throws SQLException {
    long ttft = rows.getLong("time_to_first_token_ms");
    boolean noTtft = rows.wasNull();
    return new Generation(
        rows.getString("id"),
        new OrganizationId(rows.getObject("org_id", UUID.class)),
        rows.getObject("api_key_id", UUID.class),
        rows.getString("model"),
        rows.getString("provider_slug"),
        rows.getString("upstream_model"),
        rows.getLong("price_id"),
        new TokenUsage(
            rows.getLong("tokens_prompt"),
            rows.getLong("tokens_completion"),
            rows.getLong("tokens_reasoning"),
            rows.getLong("tokens_cached"),
            0,
            0,
            0),
        rows.getBoolean("usage_estimated"),
        Credits.ofNanos(rows.getLong("cost_nanos")),
        reserved(rows),
        rows.getLong("latency_ms"),
        rows.getLong("generation_time_ms"),
        noTtft ? null : ttft,
        rows.getBoolean("streamed"),
        rows.getBoolean("cancelled"),
        rows.getString("finish_reason"),
        rows.getString("native_finish_reason"),
        rows.getString("api_type"),
        rows.getString("http_referer"),
        rows.getString("app_title"),
        rows.getTimestamp("created_at").toInstant());
  }
}
