package dev.switchboard.domain.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.keys.RequestRates.Limit;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationRepository.Founded;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FreeTierTest {

  private final DomainFixture db = new DomainFixture();
  private final Founded org = db.orgWithCredits("5.00");

  @Test
  void anOrganizationThatOnlyReceivedGrantsIsOnTheFreeTierWithFiftyADay() {
    ApiKey key = authenticated();

    assertThat(key.organizationPurchased()).isEqualTo(Credits.ZERO);
    assertThat(key.organizationBalance()).isEqualTo(Credits.ofUsd("5"));
    assertThat(FreeTier.STANDARD.isFreeTier(key.organizationPurchased())).isTrue();
    assertThat(FreeTier.STANDARD.limits(key))
        .extracting(Limit::perWindow, Limit::window)
        .containsExactly(tuple(20, RequestRates.Window.MINUTE), tuple(50, RequestRates.Window.DAY));
  }

  @Test
  void tenDollarsBoughtInAllLiftTheDailyQuotaToAThousand() {
    purchase("9.99");
    assertThat(FreeTier.STANDARD.isFreeTier(authenticated().organizationPurchased())).isTrue();

    purchase("0.01");
    ApiKey key = authenticated();

    assertThat(key.organizationPurchased()).isEqualTo(Credits.ofUsd("10"));
    assertThat(FreeTier.STANDARD.isFreeTier(key.organizationPurchased())).isFalse();
    assertThat(FreeTier.STANDARD.limits(key).get(1).perWindow()).isEqualTo(1000);
    assertThat(key.organizationBalance()).isEqualTo(Credits.ofUsd("15"));
  }

  private ApiKey authenticated() {
    return db.keys.findLiveByHash(org.managementKey().key().hash()).orElseThrow();
  }

  /** A credited purchase as the payments module writes it: from 'stripe_purchases' to the org. */
  private void purchase(String usd) {
    long nanos = Credits.ofUsd(usd).nanos();
    UUID orgId = org.organization().id().value();
    try (Connection c = db.dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "WITH t AS (INSERT INTO ledger_transactions (org_id, kind, idempotency_key, created_at)"
              + " VALUES ('"
              + orgId
              + "', 'purchase', 'test-purchase:"
              + UUID.randomUUID()
              + "', now()) RETURNING id)"
              + " INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos)"
              + " SELECT t.id, '"
              + orgId
              + "', a.id, CASE WHEN a.kind = 'org_credits' THEN "
              + nanos
              + " ELSE "
              + -nanos
              + " END FROM t, ledger_accounts a"
              + " WHERE (a.org_id = '"
              + orgId
              + "' AND a.kind = 'org_credits') OR (a.org_id IS NULL AND a.kind = 'stripe_purchases')");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
