package dev.switchboard.api.platform;

import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.http.KeyChangeListener;
import dev.switchboard.api.metrics.GatewayMetrics;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.domain.byok.MasterKeyException;
import dev.switchboard.domain.byok.MasterKeyRing;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.keys.RequestRates;
import dev.switchboard.domain.ledger.LedgerReconciler;
import dev.switchboard.domain.ledger.SettlementBook;
import dev.switchboard.domain.ledger.SettlementQueue;
import dev.switchboard.domain.ledger.SpendGate;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointId;
import dev.switchboard.migrations.SchemaMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs when the application starts, before it takes requests: migrates the schema (Flyway owns it),
 * then loads the catalog. Either failing fails the deployment, so a misconfigured platform never
 * serves. Listens for key changes other instances make ({@link KeyChangeListener}). Then keeps
 * spend leases in shape in the background (returns idle ones, renews live ones, releases those of
 * dead instances), sends the receipts of purchases that are due, and watches the chain for USDC
 * purchases when they are configured; on stop, hands leases back and writes pending settlements.
 */
@ApplicationScoped
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class.getName());

  @Inject DataSource dataSource;
  @Inject SwitchboardSettings settings;
  @Inject CatalogService catalog;
  @Inject SettlementQueue settlements;
  @Inject SettlementBook settlementBook;
  @Inject SpendGate spendGate;
  @Inject RequestRates requestRates;
  @Inject GatewayMetrics metrics;
  @Inject PaymentServices payments;
  @Inject LedgerReconciler ledgerReconciler;
  @Inject KeyChangeListener keyChanges;
  @Inject ProviderKeys providerKeys;
  @Inject EndpointHealth endpointHealth;

  private volatile boolean ready;
  private ScheduledExecutorService maintenance;
  private ScheduledExecutorService paymentUpkeep;

  /** Called by the web module when the application starts; throwing fails the deployment. */
  public void start() {
    migrate();
    replaySettlementJournal();
    keyChanges.start();
    checkProviderKeys();
    LoadedCatalog loaded = catalog.load();
    metrics.prepare(
        loaded.catalog().providers().stream().map(CatalogProvider::slug).toList(),
        Arrays.stream(ProviderError.Kind.values())
            .map(k -> k.name().toLowerCase(Locale.ROOT))
            .toList());
    metrics.watchEndpoints(
        loaded.catalog().models().stream()
            .flatMap(model -> model.endpoints().stream())
            .map(EndpointId::of)
            .toList(),
        endpointHealth);
    metrics.watchSettlements(settlements::unwritten);
    maintenance =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "switchboard-spend-maintenance");
              thread.setDaemon(true);
              return thread;
            });
    maintenance.scheduleWithFixedDelay(
        logged("spend lease upkeep", spendGate::maintain), 1, 1, TimeUnit.SECONDS);
    maintenance.scheduleWithFixedDelay(
        logged("expired lease release", settlementBook::releaseExpired), 10, 60, TimeUnit.SECONDS);
    maintenance.scheduleWithFixedDelay(
        logged("rate window purge", requestRates::purge), 60, 60, TimeUnit.SECONDS);
    // calls to Stripe get their own thread, so a slow one never delays the spend leases' upkeep
    paymentUpkeep =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "switchboard-payment-upkeep");
              thread.setDaemon(true);
              return thread;
            });
    paymentUpkeep.scheduleWithFixedDelay(
        logged("card checkout and refund upkeep", payments::reconcile), 30, 60, TimeUnit.SECONDS);
    paymentUpkeep.scheduleWithFixedDelay(
        logged("auto top-up", payments::topUp), 2, 2, TimeUnit.SECONDS);
    paymentUpkeep.scheduleWithFixedDelay(
        logged("credit expiry", payments::expireCredits), 60, 900, TimeUnit.SECONDS);
    maintenance.scheduleWithFixedDelay(
        logged("ledger reconciliation", this::reconcileLedger), 5, 10, TimeUnit.MINUTES);
    if (providerKeys.masterKeys().previous().isPresent()) {
      // a rotation: re-wrap at once, then again now and then for keys that instances not yet
      // restarted seal under the previous key meanwhile; both keys open every key throughout
      maintenance.scheduleWithFixedDelay(
          logged("provider key re-wrap", this::rewrapProviderKeys), 0, 10, TimeUnit.MINUTES);
    }
    payments.startSendingReceipts();
    payments.startWatching();
    ready = true;
  }

  /**
   * Migrates the schema as its owner and grants the application's role what it needs, or, when the
   * application connects as the owner, migrates through its own datasource. Says so when row-level
   * security cannot hold the application's role.
   */
  private void migrate() {
    String role = settings.databaseUser();
    Optional<SwitchboardSettings.DatabaseOwner> owner = settings.databaseOwner();
    DataSource ownerDataSource =
        owner.map(o -> SchemaMigrator.connect(o.url(), o.user(), o.password())).orElse(dataSource);
    String version =
        owner.isPresent()
            ? SchemaMigrator.migrate(ownerDataSource, role)
            : SchemaMigrator.migrate(ownerDataSource);
    LOG.info("database schema at version " + version);
    SchemaMigrator.rowSecurityBypassedBy(ownerDataSource, role)
        .ifPresent(
            reason ->
                LOG.warning(
                    "row-level security does not hold the application's database role: "
                        + reason
                        + ". Set SWITCHBOARD_DB_APP_USER and SWITCHBOARD_DB_APP_PASSWORD to a"
                        + " role that owns nothing (see the README)."));
  }

  /**
   * Writes to the database the settlements a crash kept from it: their answers were delivered once
   * they were in this instance's journal. Done before serving, so that balances and limits count
   * them; should they not all be written within the wait, the start fails (nothing is lost: the
   * journal keeps them for the next one).
   */
  private void replaySettlementJournal() {
    int replayed = settlements.replayJournal(Duration.ofMinutes(5));
    if (replayed > 0) {
      LOG.info("wrote " + replayed + " settlements from the journal to the database");
    }
  }

  /** Called by the web module when the application stops: pending settlements are written first. */
  public void stop() {
    ready = false;
    keyChanges.stop();
    if (maintenance != null) {
      maintenance.shutdownNow();
    }
    if (paymentUpkeep != null) {
      paymentUpkeep.shutdownNow();
    }
    payments.stopWatching();
    spendGate.returnAll();
    settlements.close();
    LOG.info("settlements written; stopped");
  }

  /**
   * Refuses to start when stored provider keys are wrapped by a master key this instance does not
   * hold (a lost or mistyped {@code SWITCHBOARD_MASTER_KEY}): serving would fail each of their
   * requests, and a key generated anew would be mistaken for the real one.
   */
  private void checkProviderKeys() {
    MasterKeyRing keys = providerKeys.masterKeys();
    long unreadable = providerKeys.countUnderUnknownMasterKeys();
    if (unreadable > 0) {
      throw new MasterKeyException(
          unreadable
              + " provider keys are wrapped by a master key that is not configured: set"
              + " SWITCHBOARD_MASTER_KEY (and, while rotating, SWITCHBOARD_MASTER_KEY_PREVIOUS) to"
              + " the keys they were sealed with");
    }
    LOG.info(
        "BYOK master key "
            + keys.current().id()
            + keys.previous()
                .map(p -> "; previous master key " + p.id() + " accepted until re-wrapped")
                .orElse(""));
  }

  private void rewrapProviderKeys() {
    int rewrapped = providerKeys.rewrapAll();
    if (rewrapped > 0) {
      LOG.info("re-wrapped " + rewrapped + " provider keys under the current master key");
    }
    if (rewrapped > 0 && providerKeys.countAwaitingRewrap() == 0) {
      LOG.info(
          "no provider key is wrapped by the previous master key "
              + providerKeys.masterKeys().previous().map(p -> p.id()).orElse("")
              + " any more: once every instance runs with the new key,"
              + " SWITCHBOARD_MASTER_KEY_PREVIOUS can be removed");
    }
  }

  /** Checks the books and says so loudly when they disagree; it corrects nothing. */
  private void reconcileLedger() {
    LedgerReconciler.Report report = ledgerReconciler.check();
    if (!report.clean()) {
      LOG.severe(
          "ledger drift: "
              + report.unbalancedTransactions()
              + " unbalanced transactions, "
              + report.drifts().size()
              + " organizations whose balance disagrees with their records: "
              + report.drifts().stream().limit(10).toList()
              + " (GET /api/v1/operator/reconciliation lists them all)");
    }
  }

  /** A periodic task that logs its failures and keeps running (an uncaught one would stop it). */
  private static Runnable logged(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, what + " failed; retrying on schedule", e);
      }
    };
  }

  public boolean isReady() {
    return ready;
  }
}
