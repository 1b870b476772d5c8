package dev.switchboard.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Each transaction sees the tenant rows its scope names, and none without a scope. */
class TenantScopeTest {

  private final DomainFixture db = new DomainFixture();
  private final OrganizationId acme = db.orgWithCredits("1").organization().id();
  private final OrganizationId globex = db.orgWithCredits("2").organization().id();

  @Test
  void aTenantsTransactionSeesItsOwnKeysOnly() {
    assertThat(db.transactions.<Long>inTenant(acme, c -> orgsOfKeys(c))).isEqualTo(1);
    assertThat(db.transactions.<Long>inTenant(acme, c -> keysOf(c, globex))).isZero();
    assertThat(db.transactions.<Long>inTenant(globex, c -> keysOf(c, globex))).isEqualTo(1);
  }

  @Test
  void aTransactionWithoutATenantSeesNoTenantsRows() {
    assertThat(db.transactions.<Long>inTransaction(c -> orgsOfKeys(c))).isZero();
    assertThat(db.transactions.<Long>withConnection(c -> orgsOfKeys(c))).isZero();
  }

  @Test
  void acrossTenantsEveryOrganizationIsSeen() {
    assertThat(db.transactions.<Long>acrossTenants(c -> orgsOfKeys(c))).isEqualTo(2);
  }

  @Test
  void enteringAScopeReplacesTheOneBefore() {
    assertThat(
            db.transactions.<Long>acrossTenants(
                c -> {
                  TenantScope.enter(c, acme);
                  return orgsOfKeys(c);
                }))
        .isEqualTo(1);
  }

  private static long orgsOfKeys(Connection c) throws SQLException {
    return queryLong(c, "SELECT count(DISTINCT org_id) FROM api_keys");
  }

  private static long keysOf(Connection c, OrganizationId org) throws SQLException {
    return queryLong(c, "SELECT count(*) FROM api_keys WHERE org_id = '" + org + "'");
  }

  private static long queryLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
