package dev.switchboard.domain;

import dev.switchboard.domain.accounts.AccountsPersistenceUnit;
import dev.switchboard.domain.catalog.CatalogLoader;
import dev.switchboard.domain.catalog.PriceBook;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.SettlementBook;
import dev.switchboard.domain.ledger.SettlementQueue;
import dev.switchboard.domain.ledger.SpendGate;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.money.TokenUsage;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import dev.switchboard.domain.usage.Generation;
import dev.switchboard.domain.usage.GenerationRepository;
import dev.switchboard.domain.usage.ProviderResponse;
import dev.switchboard.migrations.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The domain wired over a fresh, migrated database as the application's role (so row-level security
 * holds it as it does the platform), and small builders for test data.
 */
public final class DomainFixture {

  private final TestDatabases.Migrated database =
      TestDatabases.newMigratedDatabaseWithApplicationRole();

  /** The database as its owner, past row-level security: for setting up and checking rows. */
  public final DataSource dataSource = database.owner();

  /** The database as the application reaches it, held by row-level security. */
  public final DataSource applicationDataSource = database.application();

  public final Clock clock;
  public final TransactionRunner transactions = new TransactionRunner(applicationDataSource);

  /** The account entities' transactions, as the application's role. */
  public final EntityTransactions accountTransactions =
      AccountsPersistenceUnit.open(applicationDataSource);

  public final ApiKeyRepository keys;
  public final Ledger ledger;
  public final OrganizationRepository organizations;
  public final SettlementBook settlements;
  public final SettlementQueue settlementQueue;
  public final SpendGate spendGate;
  public final GenerationRepository generations;
  public final PriceBook priceBook;
  private Long priceId;

  public DomainFixture() {
    this(Clock.systemUTC());
  }

  public DomainFixture(Clock clock) {
    this.clock = clock;
    keys = new ApiKeyRepository(transactions, clock);
    ledger = new Ledger(transactions, clock);
    organizations = new OrganizationRepository(transactions, keys, ledger, clock);
    settlements = new SettlementBook(transactions, clock);
    settlementQueue = new SettlementQueue(settlements);
    spendGate = spendGate(transactions);
    generations = new GenerationRepository(transactions);
    priceBook = new PriceBook(transactions, clock);
  }

  /** Another instance's spend gate over the same database (its own leases, the same queue). */
  public SpendGate spendGate(TransactionRunner runner) {
    return spendGate(runner, settlementQueue);
  }

  /** A spend gate over this database that settles through {@code queue}. */
  public SpendGate spendGate(TransactionRunner runner, SettlementQueue queue) {
    return new SpendGate(runner, queue, clock, Duration.ofMinutes(5), Duration.ofSeconds(2));
  }

  /** Waits until everything handed to the settlement queue is written. */
  public void awaitSettled() {
    if (!settlementQueue.awaitSettled(Duration.ofSeconds(30))) {
      throw new IllegalStateException("settlements were not written within 30 s");
    }
  }

  /** Returns every idle lease of {@code gate} and waits until the returns are written. */
  public void returnLeases(SpendGate gate) {
    gate.returnAll();
    awaitSettled();
  }

  /** A generation of {@code key} costing {@code cost}, at a price recorded in this database. */
  public Generation generation(ApiKey key, Credits cost) {
    return generation(key, cost, cost);
  }

  /** A generation of {@code key} that reserved {@code reserved} and cost {@code cost}. */
  public Generation generation(ApiKey key, Credits cost, Credits reserved) {
    return generation(key, cost, reserved, TokenUsage.of(10, 20));
  }

  /** A generation of {@code key} that consumed {@code usage}. */
  public Generation generation(ApiKey key, Credits cost, Credits reserved, TokenUsage usage) {
    return generation(key, cost, reserved, usage, List.of());
  }

  /** A generation of {@code key} answered after the attempts of {@code providerResponses}. */
  public Generation generation(
      ApiKey key,
      Credits cost,
      Credits reserved,
      TokenUsage usage,
      List<ProviderResponse> providerResponses) {
    return new Generation(
        "gen-" + UUID.randomUUID(),
        key.orgId(),
        key.id(),
        "a/m",
        "p",
        "m",
        priceId(),
        usage,
        false,
        cost,
        reserved,
        false,
        cost,
        12,
        10,
        3L,
        false,
        false,
        "stop",
        "stop",
        "chat",
        null,
        null,
        clock.instant(),
        providerResponses);
  }

  private synchronized long priceId() {
    if (priceId == null) {
      priceId =
          priceBook
              .record(
                  CatalogLoader.parse(
                      "test",
                      """
                      providers:
                        - {slug: p, name: P, api: openai, base_url: "http://127.0.0.1:1/v1", api_key_env: P_KEY}
                      models:
                        - id: a/m
                          name: M
                          context_length: 1000
                          endpoints:
                            - {provider: p, upstream_model: m, pricing: {prompt: "0.000001", completion: "0.000002"}}
                      """))
              .get("a/m@p");
    }
    return priceId;
  }

  /** An organization holding {@code usd} in credits. */
  public OrganizationRepository.Founded orgWithCredits(String usd) {
    OrganizationRepository.Founded founded = organizations.found("Org " + UUID.randomUUID());
    if (Credits.ofUsd(usd).isPositive()) {
      ledger.grant(founded.organization().id(), Credits.ofUsd(usd), "seed", "seed", "test credits");
    }
    return founded;
  }

  public long count(String table) {
    return queryLong("SELECT count(*) FROM " + table);
  }

  public String queryString(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long queryLong(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
