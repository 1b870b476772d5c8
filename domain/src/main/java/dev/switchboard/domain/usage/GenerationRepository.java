package dev.switchboard.domain.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

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

  /** A column of {@code generations} as the settlement batch writes it: its type and its value. */
  private record Column(String name, String type, Function<Generation, Object> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("id", "text", Generation::id),
          new Column("org_id", "uuid", g -> g.orgId().value()),
          new Column("api_key_id", "uuid", Generation::apiKeyId),
          new Column("model", "text", Generation::model),
          new Column("provider_slug", "text", Generation::providerSlug),
          new Column("upstream_model", "text", Generation::upstreamModel),
          new Column("price_id", "bigint", Generation::priceId),
          new Column("tokens_prompt", "bigint", g -> g.usage().promptTokens()),
          new Column("tokens_completion", "bigint", g -> g.usage().completionTokens()),
          new Column("tokens_reasoning", "bigint", g -> g.usage().reasoningTokens()),
          new Column("tokens_cached", "bigint", g -> g.usage().cachedPromptTokens()),
          new Column("tokens_cache_write", "bigint", g -> g.usage().cacheWriteTokens()),
          new Column("usage_estimated", "boolean", Generation::usageEstimated),
          new Column("cost_nanos", "bigint", g -> g.cost().nanos()),
          new Column("reserved_nanos", "bigint", g -> g.reserved().nanos()),
          new Column("is_byok", "boolean", Generation::byok),
          new Column("upstream_cost_nanos", "bigint", g -> g.upstreamCost().nanos()),
          new Column("latency_ms", "bigint", Generation::latencyMillis),
          new Column("generation_time_ms", "bigint", Generation::generationTimeMillis),
          new Column("time_to_first_token_ms", "bigint", Generation::timeToFirstTokenMillis),
          new Column("streamed", "boolean", Generation::streamed),
          new Column("cancelled", "boolean", Generation::cancelled),
          new Column("finish_reason", "text", Generation::finishReason),
          new Column("native_finish_reason", "text", Generation::nativeFinishReason),
          new Column("api_type", "text", Generation::apiType),
          new Column("http_referer", "text", Generation::httpReferer),
          new Column("app_title", "text", Generation::appTitle),
          new Column("created_at", "timestamptz", g -> g.createdAt().toString()),
          new Column(
              "provider_responses", "jsonb", g -> providerResponsesJson(g.providerResponses())));

  private static final ObjectMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private static final TypeReference<List<ProviderResponse>> RESPONSES = new TypeReference<>() {};

  /** The attempts as the column keeps them: null when the first answered. */
  private static String providerResponsesJson(List<ProviderResponse> responses) {
    if (responses.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(responses);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a generation's attempts could not be written as JSON", e);
    }
  }

  private static List<ProviderResponse> providerResponses(ResultSet rows) throws SQLException {
    String json = rows.getString("provider_responses");
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, RESPONSES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a generation's attempts could not be read", e);
    }
  }

  /**
   * One statement for a whole batch: each column bound as an array and the rows unnested, with the
   * ledger transaction that debited each (none when it cost nothing) looked up by its key.
   */
  private static final String INSERT_ALL =
      "INSERT INTO generations ("
          + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "))
          + ", ledger_transaction_id) SELECT g.*,"
          // a look-up by the unique key for each row, never a join a plan could turn into a scan
          + " (SELECT t.id FROM ledger_transactions t WHERE t.idempotency_key = 'usage:' || g.id)"
          + " FROM unnest("
          + COLUMNS.stream().map(c -> "?::" + c.type() + "[]").collect(Collectors.joining(", "))
          + ") AS g("
          + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "))
          + ") ON CONFLICT (id) DO NOTHING";

  /**
   * Inserts generations inside their settlement's transaction, in one statement. Each references
   * the ledger transaction that debited it (none when it cost nothing); a generation already
   * recorded is left as it is, so a settlement written twice records it once.
   */
  public static void insertAll(Connection c, List<Generation> generations) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT_ALL)) {
      int index = 1;
      for (Column column : COLUMNS) {
        Object[] values = generations.stream().map(column.value()).toArray();
        insert.setArray(index++, c.createArrayOf(column.type(), values));
      }
      insert.executeUpdate();
    }
  }

  /** What the request reserved; its cost for a row written before that was recorded. */
  private static Credits reserved(ResultSet rows) throws SQLException {
    long reserved = rows.getLong("reserved_nanos");
    return rows.wasNull() ? Credits.ofNanos(rows.getLong("cost_nanos")) : Credits.ofNanos(reserved);
  }

  /** What the provider charged at list price; the cost for a row written before that was kept. */
  private static Credits upstreamCost(ResultSet rows) throws SQLException {
    long upstream = rows.getLong("upstream_cost_nanos");
    return rows.wasNull() ? Credits.ofNanos(rows.getLong("cost_nanos")) : Credits.ofNanos(upstream);
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
            rows.getLong("tokens_cache_write"),
            0,
            0),
        rows.getBoolean("usage_estimated"),
        Credits.ofNanos(rows.getLong("cost_nanos")),
        reserved(rows),
        rows.getBoolean("is_byok"),
        upstreamCost(rows),
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
        rows.getTimestamp("created_at").toInstant(),
        providerResponses(rows));
  }
}
