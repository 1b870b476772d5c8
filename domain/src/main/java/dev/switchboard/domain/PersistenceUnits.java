package dev.switchboard.domain;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceProvider;
import jakarta.persistence.spi.PersistenceProviderResolverHolder;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Persistence units defined in code, over the application's own data source: no {@code
 * persistence.xml}, so the server deploys no unit of its own and nothing scans for entities. Flyway
 * owns the schema (no DDL is generated), and no cache outlives an entity manager ({@link
 * SharedCacheMode#NONE}), so one transaction never serves another's rows, whichever tenant's they
 * are. The provider is EclipseLink: the server's at run time, the tests' own outside it.
 */
public final class PersistenceUnits {

  static final String ECLIPSELINK = "org.eclipse.persistence.jpa.PersistenceProvider";

  private PersistenceUnits() {}

  /**
   * A factory of entity managers for the {@code entities}, in resource-local transactions; every
   * {@link Instant} attribute goes through {@link InstantColumns}.
   */
  public static EntityManagerFactory create(
      String name, DataSource dataSource, List<Class<?>> entities) {
    List<Class<?>> managed = new ArrayList<>(entities);
    managed.add(InstantColumns.class);
    PersistenceUnitInfo unit = new CodeDefinedUnit(name, dataSource, List.copyOf(managed));
    // EclipseLink keeps one deployed session per session name, which defaults to the unit's name:
    // a second factory of the same name would silently reuse the first one's data source
    Map<String, String> session =
        Map.of("eclipselink.session-name", name + "-" + UUID.randomUUID());
    return provider().createContainerEntityManagerFactory(unit, session);
  }

  private static PersistenceProvider provider() {
    return PersistenceProviderResolverHolder.getPersistenceProviderResolver()
        .getPersistenceProviders()
        .stream()
        .filter(p -> p.getClass().getName().equals(ECLIPSELINK))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("EclipseLink is not on the class path"));
  }

  private static Properties properties() {
    Properties p = new Properties();
    p.setProperty("eclipselink.target-database", "PostgreSQL");
    p.setProperty("eclipselink.ddl-generation", "none");
    p.setProperty("eclipselink.session.customizer", UuidColumns.class.getName());
    // no shared (second-level) cache: each entity manager, one per transaction, reads the database
    p.setProperty("eclipselink.cache.shared.default", "false");
    p.setProperty("eclipselink.query-results-cache", "false");
    // entities stay plain classes: no agent, and the server does not weave a unit it did not deploy
    p.setProperty("eclipselink.weaving", "false");
    // mapping errors fail the start, not the first sign-in
    p.setProperty("eclipselink.deploy-on-startup", "true");
    // through java.util.logging, warnings only, and never a bound value (tokens, hashes, addresses)
    p.setProperty("eclipselink.logging.logger", "JavaLogger");
    p.setProperty("eclipselink.logging.level", "WARNING");
    p.setProperty("eclipselink.logging.parameters", "false");
    p.setProperty("eclipselink.logging.session", "false");
    p.setProperty("eclipselink.logging.thread", "false");
    return p;
  }

  private record CodeDefinedUnit(String name, DataSource dataSource, List<Class<?>> managedClasses)
      implements PersistenceUnitInfo {

    @Override
    public String getPersistenceUnitName() {
      return name;
    }

    @Override
    public String getPersistenceProviderClassName() {
      return ECLIPSELINK;
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
      return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
      return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
      return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
      return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
      return List.of();
    }

    @Override
    public URL getPersistenceUnitRootUrl() {
      // where the entities are; nothing there is scanned (unlisted classes are excluded)
      return managedClasses.get(0).getProtectionDomain().getCodeSource().getLocation();
    }

    @Override
    public List<String> getManagedClassNames() {
      return managedClasses.stream().map(Class::getName).toList();
    }

    @Override
    public boolean excludeUnlistedClasses() {
      return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
      return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
      return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
      return properties();
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
      return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
      return managedClasses.get(0).getClassLoader();
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {
      // no weaving
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
      return getClassLoader();
    }
  }
}
