package dev.switchboard.domain;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Which tenants' rows a transaction sees. PostgreSQL's row-level security is the second wall
 * between organizations: every table carrying {@code org_id} shows and accepts only the rows of the
 * organization set here, for the rest of the current transaction (see the V10 migration). Without a
 * scope, a transaction sees no tenant's rows at all; the explicit all-tenants scope is for work
 * that has no tenant yet or spans them.
 */
public final class TenantScope {

  /** Both settings in one statement, so that entering a scope always replaces the previous one. */
  private static final String SET =
      "SELECT set_config('switchboard.org_id', ?, true), set_config('switchboard.scope', ?, true)";

  private TenantScope() {}

  /** From now until the transaction ends, {@code c} sees and writes {@code org}'s rows only. */
  public static void enter(Connection c, OrganizationId org) throws SQLException {
    set(c, org.value().toString(), "");
  }

  /**
   * From now until the transaction ends, {@code c} sees every tenant's rows: for looking up what
   * names its tenant (a key by its hash, an invitation by its token), for what a person does across
   * their organizations, and for the platform's own work over all of them.
   */
  public static void enterAll(Connection c) throws SQLException {
    set(c, "", "all");
  }

  private static void set(Connection c, String org, String scope) throws SQLException {
    try (PreparedStatement set = c.prepareStatement(SET)) {
      set.setString(1, org);
      set.setString(2, scope);
      set.execute();
    }
  }
}
