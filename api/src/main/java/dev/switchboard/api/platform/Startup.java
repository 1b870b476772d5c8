package dev.switchboard.api.platform;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.metrics.GatewayMetrics;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.ledger.SettlementQueue;
import dev.switchboard.migrations.SchemaMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs when the application starts, before it takes requests: migrates the schema (Flyway owns it),
 * then loads the catalog. Either failing fails the deployment, so a misconfigured platform never
 * serves.
 */
@ApplicationScoped
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class.getName());

  @Inject DataSource dataSource;
  @Inject CatalogService catalog;
  @Inject SettlementQueue settlements;
  @Inject GatewayMetrics metrics;

  private volatile boolean ready;

  /** Called by the web module when the application starts; throwing fails the deployment. */
  public void start() {
    String version = SchemaMigrator.migrate(dataSource);
    LOG.info("database schema at version " + version);
    LoadedCatalog loaded = catalog.load();
    metrics.prepare(
        loaded.catalog().providers().stream().map(CatalogProvider::slug).toList(),
        Arrays.stream(ProviderError.Kind.values())
            .map(k -> k.name().toLowerCase(Locale.ROOT))
            .toList());
    ready = true;
  }

  /** Called by the web module when the application stops: pending settlements are written first. */
  public void stop() {
    ready = false;
    settlements.close();
    LOG.info("settlements written; stopped");
  }

  public boolean isReady() {
    return ready;
  }
}
