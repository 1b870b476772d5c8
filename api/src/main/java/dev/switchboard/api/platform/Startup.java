package dev.switchboard.api.platform;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.migrations.SchemaMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs when the application starts, before it takes requests: migrates the schema (Flyway owns it), then
 * loads the catalog. Either failing fails the deployment, so a misconfigured platform never serves.
 */
@ApplicationScoped
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class.getName());

  @Inject DataSource dataSource;
  @Inject CatalogService catalog;

  private volatile boolean ready;

  /** Called by the web module when the application starts; throwing fails the deployment. */
  public void start() {
    String version = SchemaMigrator.migrate(dataSource);
    LOG.info("database schema at version " + version);
    catalog.load();
    ready = true;
  }

  public boolean isReady() {
    return ready;
  }
}
