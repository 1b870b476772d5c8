package dev.switchboard.api.platform;

import dev.switchboard.api.http.ClientAddress;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.accounts.AccountsPersistenceUnit;
import dev.switchboard.domain.accounts.JpaSessionRepository;
import dev.switchboard.domain.accounts.JpaUserRepository;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.OrganizationSettingsService;
import dev.switchboard.domain.accounts.SessionRepository;
import dev.switchboard.domain.accounts.SingleSignOnService;
import dev.switchboard.domain.accounts.UserRepository;
import dev.switchboard.domain.accounts.WorkspaceService;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.byok.EnvelopeCipher;
import dev.switchboard.domain.byok.MasterKeyRing;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.catalog.PriceBook;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.FreeTier;
import dev.switchboard.domain.keys.RequestRates;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.LedgerReconciler;
import dev.switchboard.domain.ledger.SettlementBook;
import dev.switchboard.domain.ledger.SettlementJournal;
import dev.switchboard.domain.ledger.SettlementQueue;
import dev.switchboard.domain.ledger.SpendGate;
import dev.switchboard.domain.mail.Mailer;
import dev.switchboard.domain.routing.health.BreakerPolicy;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.tenancy.OrganizationDirectory;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import dev.switchboard.domain.usage.GenerationRepository;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The domain's plain-Java services, made once per application and injected where needed. They are
 * {@code @Singleton} rather than {@code @ApplicationScoped}: final classes cannot be proxied, and
 * they need no proxy.
 */
@ApplicationScoped
public class DomainServices {

  /** Defined by the web module's {@code @DataSourceDefinition}. */
  public static final String DATASOURCE = "java:app/jdbc/switchboard";

  @Resource(lookup = DATASOURCE)
  DataSource dataSource;

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Each instance measures the endpoints' health from its own traffic, in memory. */
  @Produces
  @Singleton
  EndpointHealth endpointHealth(Clock clock, SwitchboardSettings settings) {
    return new EndpointHealth(
        clock,
        BreakerPolicy.DEFAULT.withCoolDown(Duration.ofSeconds(settings.breakerCoolDownSeconds())));
  }

  @Produces
  @Singleton
  DataSource dataSource() {
    return dataSource;
  }

  @Produces
  @Singleton
  TransactionRunner transactions() {
    return new TransactionRunner(dataSource);
  }

  /** The account entities' persistence unit, defined in code: there is no persistence.xml. */
  @Produces
  @Singleton
  EntityTransactions accountTransactions() {
    return AccountsPersistenceUnit.open(dataSource);
  }

  void closeAccountTransactions(@Disposes EntityTransactions transactions) {
    transactions.close();
  }

  @Produces
  @Singleton
  ApiKeyRepository apiKeys(TransactionRunner transactions, Clock clock) {
    return new ApiKeyRepository(transactions, clock);
  }

  @Produces
  @Singleton
  FreeTier freeTier(SwitchboardSettings settings) {
    return settings.freeTier();
  }

  @Produces
  @Singleton
  RequestRates requestRates(TransactionRunner transactions, Clock clock) {
    return new RequestRates(transactions, clock);
  }

  @Produces
  @Singleton
  Ledger ledger(TransactionRunner transactions, Clock clock) {
    return new Ledger(transactions, clock);
  }

  @Produces
  @Singleton
  OrganizationRepository organizations(
      TransactionRunner transactions, ApiKeyRepository keys, Ledger ledger, Clock clock) {
    return new OrganizationRepository(transactions, keys, ledger, clock);
  }

  @Produces
  @Singleton
  UserRepository users(EntityTransactions transactions) {
    return new JpaUserRepository(transactions);
  }

  @Produces
  @Singleton
  SessionRepository sessions(
      EntityTransactions transactions, Clock clock, SwitchboardSettings settings) {
    return new JpaSessionRepository(transactions, clock, Duration.ofHours(settings.sessionHours()));
  }

  @Produces
  @Singleton
  AccountService accounts(
      EntityTransactions transactions,
      UserRepository users,
      OrganizationRepository organizations,
      SessionRepository sessions,
      Mailer mailer,
      Clock clock,
      SwitchboardSettings settings) {
    return new AccountService(
        transactions, users, organizations, sessions, mailer, clock, settings.publicUrl());
  }

  @Produces
  @Singleton
  MembershipService memberships(
      EntityTransactions transactions,
      OrganizationRepository organizations,
      UserRepository users,
      Mailer mailer,
      Clock clock,
      SwitchboardSettings settings) {
    return new MembershipService(
        transactions, organizations, users, mailer, clock, settings.publicUrl());
  }

  @Produces
  @Singleton
  ClientAddress clientAddress(SwitchboardSettings settings) {
    return ClientAddress.trusting(settings.trustedProxies());
  }

  @Produces
  @Singleton
  SingleSignOnService singleSignOn(
      EntityTransactions transactions,
      UserRepository users,
      OrganizationRepository organizations,
      SessionRepository sessions,
      Clock clock) {
    return new SingleSignOnService(transactions, users, organizations, sessions, clock);
  }

  @Produces
  @Singleton
  OrganizationSettingsService organizationSettings(
      EntityTransactions transactions, UserRepository users, Clock clock) {
    return new OrganizationSettingsService(transactions, users, clock);
  }

  @Produces
  @Singleton
  OrganizationDirectory directory(TransactionRunner transactions, Clock clock) {
    return new OrganizationDirectory(transactions, clock);
  }

  @Produces
  @Singleton
  WorkspaceService workspaces(EntityTransactions transactions, Clock clock) {
    return new WorkspaceService(transactions, clock);
  }

  @Produces
  @Singleton
  SpendGate spendGate(
      TransactionRunner transactions,
      SettlementQueue settlements,
      Clock clock,
      SwitchboardSettings settings) {
    return new SpendGate(
        transactions,
        settlements,
        clock,
        Duration.ofSeconds(settings.leaseSeconds()),
        Duration.ofMillis(settings.leaseIdleMillis()));
  }

  @Produces
  @Singleton
  LedgerReconciler ledgerReconciler(TransactionRunner transactions) {
    return new LedgerReconciler(transactions);
  }

  @Produces
  @Singleton
  SettlementBook settlementBook(TransactionRunner transactions, Clock clock) {
    return new SettlementBook(transactions, clock);
  }

  @Produces
  @Singleton
  SettlementQueue settlementQueue(SettlementBook book, SwitchboardSettings settings) {
    try {
      return new SettlementQueue(
          book, SettlementJournal.open(Path.of(settings.dataDir()).resolve("settlements")));
    } catch (IOException e) {
      throw new UncheckedIOException("the settlement journal could not be opened", e);
    }
  }

  void closeSettlementQueue(@Disposes SettlementQueue queue) {
    queue.close();
  }

  @Produces
  @Singleton
  GenerationRepository generations(TransactionRunner transactions) {
    return new GenerationRepository(transactions);
  }

  @Produces
  @Singleton
  RequestBodyParser requestBodyParser(SwitchboardSettings settings) {
    return new RequestBodyParser(settings.maxJsonDepth());
  }

  /**
   * Organizations' own provider keys, sealed under the master key ring (a key that is not base64 of
   * 32 bytes fails the start: {@link Startup} asks for this at once).
   */
  @Produces
  @Singleton
  ProviderKeys providerKeys(
      TransactionRunner transactions, Clock clock, SwitchboardSettings settings) {
    MasterKeyRing ring =
        MasterKeyRing.configured(
            settings.masterKey(), settings.masterKeyPrevious(), Path.of(settings.dataDir()));
    return new ProviderKeys(
        transactions, new EnvelopeCipher(ring), clock, ProviderKeys.DEFAULT_CACHE_TTL);
  }

  @Produces
  @Singleton
  BaseUrlGuard baseUrlGuard(SwitchboardSettings settings) {
    return BaseUrlGuard.configured(settings.byokAllowedHosts());
  }

  @Produces
  @Singleton
  PriceBook priceBook(TransactionRunner transactions, Clock clock) {
    return new PriceBook(transactions, clock);
  }
}
