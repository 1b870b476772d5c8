package dev.switchboard.migrations;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings a database to the current schema. Flyway owns the schema; JPA never generates it. */
public final class SchemaMigrator {

  private SchemaMigrator() {}

  /** Applies pending migrations and returns the schema version now in place. */
  public static String migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure(SchemaMigrator.class.getClassLoader())
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .failOnMissingLocations(true)
            .load()
            .migrate();
    return result.targetSchemaVersion != null
        ? result.targetSchemaVersion
        : result.initialSchemaVersion;
  }
}
