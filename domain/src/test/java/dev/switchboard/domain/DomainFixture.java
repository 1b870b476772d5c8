package dev.switchboard.domain;

import dev.switchboard.domain.catalog.PriceBook;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.SettlementBook;
import dev.switchboard.domain.ledger.SpendGate;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import dev.switchboard.domain.usage.GenerationRepository;
import dev.switchboard.migrations.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/** The domain wired over a fresh, migrated database, and small builders for test data. */
public final class DomainFixture {

  public final DataSource dataSource = TestDatabases.newMigratedDatabase();
  public final Clock clock;
  public final TransactionRunner transactions = new TransactionRunner(dataSource);
  public final ApiKeyRepository keys;
  public final Ledger ledger;
  public final OrganizationRepository organizations;
  public final SpendGate spendGate;
  public final SettlementBook settlements;
  public final GenerationRepository generations;
  public final PriceBook priceBook;

  public DomainFixture() {
    this(Clock.systemUTC());
  }

  public DomainFixture(Clock clock) {
    this.clock = clock;
    keys = new ApiKeyRepository(transactions, clock);
    ledger = new Ledger(transactions, clock);
    organizations = new OrganizationRepository(transactions, keys, ledger, clock);
    spendGate = new SpendGate(transactions, clock, Duration.ofMinutes(30));
    settlements = new SettlementBook(transactions, clock);
    generations = new GenerationRepository(transactions);
    priceBook = new PriceBook(transactions, clock);
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
