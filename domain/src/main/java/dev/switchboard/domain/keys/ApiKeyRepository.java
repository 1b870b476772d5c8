package dev.switchboard.domain.keys;

import dev.switchboard.domain.SqlParameters;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** API keys in PostgreSQL. Every read by id is scoped to the caller's organization. */
public final class ApiKeyRepository {

  private static final String COLUMNS =
      "id, org_id, workspace_id, hash, name, label, is_management, limit_nanos, limit_reset,"
          + " period_usage_nanos, period_start, usage_nanos, disabled, expires_at, created_at, updated_at,"
          + " created_by, false AS organization_disabled, rate_limit_rpm,"
          + " NULL::integer AS organization_rate_limit_rpm,"
          + " NULL::bigint AS organization_purchased_nanos,"
          + " NULL::bigint AS organization_balance_nanos";

  /**
   * The credits an organization ever bought: what its purchases (card checkouts, auto top-ups,
   * credited USDC transfers: ledger transactions of kind 'purchase') put into its credits account,
   * fees excluded; later refunds, disputes and reversals do not undo having bought.
   */
  private static final String PURCHASED =
      "(SELECT coalesce(sum(e.amount_nanos), 0) FROM ledger_transactions t"
          + " JOIN ledger_entries e ON e.transaction_id = t.id"
          + " JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'org_credits'"
          + " WHERE t.org_id = o.id AND t.kind = 'purchase' AND e.amount_nanos > 0)"
          + " AS organization_purchased_nanos";

  private static final String BALANCE =
      "(SELECT a.balance_nanos FROM ledger_accounts a"
          + " WHERE a.org_id = o.id AND a.kind = 'org_credits') AS organization_balance_nanos";

  /** The columns for authentication, which also say whether the operator disabled the org. */
  private static final String LIVE_COLUMNS =
      Arrays.stream(COLUMNS.split(","))
          .map(String::strip)
          .map(
              c ->
                  c.endsWith("AS organization_disabled")
                      ? "o.disabled_at IS NOT NULL AS organization_disabled"
                      : c.endsWith("AS organization_rate_limit_rpm")
                          ? "o.rate_limit_rpm AS organization_rate_limit_rpm"
                          : c.endsWith("AS organization_purchased_nanos")
                              ? PURCHASED
                              : c.endsWith("AS organization_balance_nanos") ? BALANCE : "k." + c)
          .collect(Collectors.joining(", "));

  private final TransactionRunner transactions;
  private final Clock clock;

  public ApiKeyRepository(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  public NewApiKey create(
      OrganizationId org, UUID workspaceId, KeySettings settings, boolean management) {
    return transactions.inTenant(org, c -> create(c, org, workspaceId, settings, management, null));
  }

  /** A key a member creates (not a management key); it records who, for when they leave. */
  public NewApiKey createFor(
      OrganizationId org, UUID workspaceId, KeySettings settings, UUID createdBy) {
    return transactions.inTenant(org, c -> create(c, org, workspaceId, settings, false, createdBy));
  }

  /** Creates a key inside the caller's transaction (used when an organization is founded). */
  public NewApiKey create(
      Connection c, OrganizationId org, UUID workspaceId, KeySettings settings, boolean management)
      throws SQLException {
    return create(c, org, workspaceId, settings, management, null);
  }

  private NewApiKey create(
      Connection c,
      OrganizationId org,
      UUID workspaceId,
      KeySettings settings,
      boolean management,
      UUID createdBy)
      throws SQLException {
    String plaintext = ApiKeySecret.generate();
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO api_keys (id, org_id, workspace_id, hash, name, label, is_management, limit_nanos,"
                + " limit_reset, period_start, expires_at, created_at, updated_at, created_by,"
                + " rate_limit_rpm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
                + COLUMNS)) {
      insert.setObject(1, id);
      insert.setObject(2, org.value());
      insert.setObject(3, workspaceId);
      insert.setString(4, ApiKeySecret.hash(plaintext));
      insert.setString(5, settings.name().trim());
      insert.setString(6, ApiKeySecret.label(plaintext));
      insert.setBoolean(7, management);
      SqlParameters.setLong(insert, 8, settings.limit() == null ? null : settings.limit().nanos());
      insert.setString(9, settings.limitReset() == null ? null : settings.limitReset().wireName());
      SqlParameters.setInstant(
          insert,
          10,
          settings.limitReset() == null ? null : settings.limitReset().periodStart(now));
      SqlParameters.setInstant(insert, 11, settings.expiresAt());
      insert.setTimestamp(12, Timestamp.from(now));
      insert.setTimestamp(13, Timestamp.from(now));
      insert.setObject(14, createdBy);
      insert.setObject(15, settings.rateLimitRpm(), Types.INTEGER);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return new NewApiKey(map(rows), plaintext);
      }
    }
  }

  /**
   * The live (not deleted) key with this hash, whatever its organization: the authentication
   * lookup, which is what names the tenant. It says whether the operator disabled the key's
   * organization.
   */
  public Optional<ApiKey> findLiveByHash(String hash) {
    return transactions.acrossTenants(
        c ->
            queryOne(
                c,
                "SELECT "
                    + LIVE_COLUMNS
                    + " FROM api_keys k JOIN organizations o ON o.id = k.org_id"
                    + " WHERE k.hash = ? AND k.deleted_at IS NULL",
                hash));
  }

  public Optional<ApiKey> findForOrg(OrganizationId org, String hash) {
    return transactions.inTenant(
        org,
        c ->
            queryOne(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM api_keys WHERE org_id = ? AND hash = ? AND deleted_at IS NULL",
                org.value(),
                hash));
  }

  public List<ApiKey> listForOrg(OrganizationId org) {
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM api_keys WHERE org_id = ? AND deleted_at IS NULL"
                      + " ORDER BY created_at, id")) {
            query.setObject(1, org.value());
            List<ApiKey> keys = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                keys.add(map(rows));
              }
            }
            return keys;
          }
        });
  }

  /** Changes the key; every instance drops its cached record on commit ({@link KeyChange}). */
  public Optional<ApiKey> update(OrganizationId org, String hash, KeyPatch patch) {
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        c -> {
          Optional<ApiKey> current =
              queryOne(
                  c,
                  "SELECT "
                      + COLUMNS
                      + " FROM api_keys WHERE org_id = ? AND hash = ? AND deleted_at IS NULL"
                      + " FOR UPDATE",
                  org.value(),
                  hash);
          if (current.isEmpty()) {
            return Optional.empty();
          }
          ApiKey key = current.get();
          LimitReset reset = patch.limitResetSet() ? patch.limitReset() : key.limitReset();
          Credits limit = patch.limitSet() ? patch.limit() : key.limit();
          boolean resetChanged = reset != key.limitReset();
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE api_keys SET name = ?, disabled = ?, limit_nanos = ?, limit_reset = ?,"
                      + " expires_at = ?, updated_at = ?, rate_limit_rpm = ?,"
                      + " period_usage_nanos = CASE WHEN ? THEN 0 ELSE period_usage_nanos END,"
                      + " period_start = CASE WHEN ? THEN ? ELSE period_start END"
                      + " WHERE id = ? RETURNING "
                      + COLUMNS)) {
            update.setString(1, patch.name() != null ? patch.name().trim() : key.name());
            update.setBoolean(2, patch.disabled() != null ? patch.disabled() : key.disabled());
            SqlParameters.setLong(update, 3, limit == null ? null : limit.nanos());
            update.setString(4, reset == null ? null : reset.wireName());
            SqlParameters.setInstant(
                update, 5, patch.expiresAtSet() ? patch.expiresAt() : key.expiresAt());
            update.setTimestamp(6, Timestamp.from(now));
            update.setObject(
                7, patch.rateLimitSet() ? patch.rateLimitRpm() : key.rateLimitRpm(), Types.INTEGER);
            update.setBoolean(8, resetChanged);
            update.setBoolean(9, resetChanged);
            SqlParameters.setInstant(update, 10, reset == null ? null : reset.periodStart(now));
            update.setObject(11, key.id());
            ApiKey updated;
            try (ResultSet rows = update.executeQuery()) {
              rows.next();
              updated = map(rows);
            }
            KeyChange.announceKeys(c, List.of(hash));
            return Optional.of(updated);
          }
        });
  }

  /**
   * Soft-deletes the key: it stops authenticating at once, on every instance (a {@link KeyChange}
   * is announced on commit), and its history stays.
   */
  public boolean delete(OrganizationId org, String hash) {
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "UPDATE api_keys SET deleted_at = ?, updated_at = ?"
                      + " WHERE org_id = ? AND hash = ? AND deleted_at IS NULL")) {
            delete.setTimestamp(1, Timestamp.from(now));
            delete.setTimestamp(2, Timestamp.from(now));
            delete.setObject(3, org.value());
            delete.setString(4, hash);
            boolean deleted = delete.executeUpdate() == 1;
            if (deleted) {
              KeyChange.announceKeys(c, List.of(hash));
            }
            return deleted;
          }
        });
  }

  /**
   * The key's spend from its generations: total, and since the start of the UTC day, week and
   * month.
   */
  public KeyUsage usage(ApiKey key) {
    Instant now = clock.instant();
    return transactions.inTenant(
        key.orgId(),
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT coalesce(sum(cost_nanos) FILTER (WHERE created_at >= ?), 0),"
                      + " coalesce(sum(cost_nanos) FILTER (WHERE created_at >= ?), 0),"
                      + " coalesce(sum(cost_nanos) FILTER (WHERE created_at >= ?), 0),"
                      + " (SELECT max(created_at) FROM generations WHERE api_key_id = ?)"
                      + " FROM generations WHERE api_key_id = ? AND created_at >= ?")) {
            Instant day = LimitReset.DAILY.periodStart(now);
            Instant week = LimitReset.WEEKLY.periodStart(now);
            Instant month = LimitReset.MONTHLY.periodStart(now);
            query.setTimestamp(1, Timestamp.from(day));
            query.setTimestamp(2, Timestamp.from(week));
            query.setTimestamp(3, Timestamp.from(month));
            query.setObject(4, key.id());
            query.setObject(5, key.id());
            query.setTimestamp(6, Timestamp.from(week.isBefore(month) ? week : month));
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              return new KeyUsage(
                  key.usage(),
                  Credits.ofNanos(rows.getLong(1)),
                  Credits.ofNanos(rows.getLong(2)),
                  Credits.ofNanos(rows.getLong(3)),
                  instant(rows, 4));
            }
          }
        });
  }

  private static Optional<ApiKey> queryOne(Connection c, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(map(rows)) : Optional.empty();
      }
    }
  }

  private static ApiKey map(ResultSet rows) throws SQLException {
    long limit = rows.getLong("limit_nanos");
    boolean noLimit = rows.wasNull();
    String reset = rows.getString("limit_reset");
    return new ApiKey(
        rows.getObject("id", UUID.class),
        new OrganizationId(rows.getObject("org_id", UUID.class)),
        rows.getObject("workspace_id", UUID.class),
        rows.getString("hash"),
        rows.getString("name"),
        rows.getString("label"),
        rows.getBoolean("is_management"),
        noLimit ? null : Credits.ofNanos(limit),
        reset == null ? null : LimitReset.parse(reset).orElseThrow(),
        Credits.ofNanos(rows.getLong("period_usage_nanos")),
        instant(rows, "period_start"),
        Credits.ofNanos(rows.getLong("usage_nanos")),
        rows.getBoolean("disabled"),
        instant(rows, "expires_at"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"),
        rows.getObject("created_by", UUID.class),
        rows.getBoolean("organization_disabled"),
        rows.getObject("rate_limit_rpm", Integer.class),
        rows.getObject("organization_rate_limit_rpm", Integer.class),
        credits(rows, "organization_purchased_nanos"),
        credits(rows, "organization_balance_nanos"));
  }

  private static Credits credits(ResultSet rows, String column) throws SQLException {
    long nanos = rows.getLong(column);
    return rows.wasNull() ? null : Credits.ofNanos(nanos);
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    return instant(rows.getTimestamp(column));
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    return instant(rows.getTimestamp(column));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
