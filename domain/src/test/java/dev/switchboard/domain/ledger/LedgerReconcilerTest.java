package dev.switchboard.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class LedgerReconcilerTest {

  private final DomainFixture db = new DomainFixture();
  private final LedgerReconciler reconciler = new LedgerReconciler(db.transactions);

  @Test
  void booksOfGrantsAndUsageAgree() {
    OrganizationRepository.Founded org = db.orgWithCredits("10.00");
    ApiKey key = org.managementKey().key();
    Reservation reservation = db.spendGate.reserve(key, Credits.ofUsd("1.00"));
    db.spendGate.settle(reservation, db.generation(key, Credits.ofUsd("0.123456789")));
    db.awaitSettled();

    LedgerReconciler.Report report = reconciler.check();

    assertThat(report.clean()).as(report.toString()).isTrue();
    assertThat(report.organizations()).isEqualTo(1);
  }

  @Test
  void aRequestCostingMoreThanItReservedIsBilledInFullAndCountedAsOverageNotDrift() {
    OrganizationRepository.Founded org = db.orgWithCredits("0.20");
    ApiKey key = org.managementKey().key();
    Credits reserved = Credits.ofUsd("0.01");
    Reservation reservation = db.spendGate.reserve(key, reserved);
    db.spendGate.settle(reservation, db.generation(key, Credits.ofUsd("0.30"), reserved));
    db.awaitSettled();
    db.returnLeases(db.spendGate);

    LedgerReconciler.Report report = reconciler.check();

    assertThat(db.ledger.balance(org.organization().id()).balance())
        .isEqualTo(Credits.ofUsd("-0.10"));
    assertThat(report.clean()).as(report.toString()).isTrue();
    assertThat(report.overageRequests()).isEqualTo(1);
    assertThat(report.overage()).isEqualTo(Credits.ofUsd("0.29"));
  }

  @Test
  void aBalanceChangedBehindTheLedgersBackIsReportedWithItsAmount() throws SQLException {
    OrganizationRepository.Founded org = db.orgWithCredits("10.00");
    db.orgWithCredits("3.00");
    try (Connection c = db.dataSource.getConnection();
        Statement s = c.createStatement()) {
      // only the schema's owner can write this; the application's role cannot update the ledger
      s.execute(
          "UPDATE ledger_accounts SET balance_nanos = balance_nanos + 5 WHERE org_id = '"
              + org.organization().id()
              + "'");
    }

    LedgerReconciler.Report report = reconciler.check();

    assertThat(report.clean()).isFalse();
    assertThat(report.drifts())
        .singleElement()
        .satisfies(
            drift -> {
              assertThat(drift.org()).isEqualTo(org.organization().id());
              assertThat(drift.amount()).isEqualTo(Credits.ofNanos(5));
              assertThat(drift.expected()).isEqualTo(Credits.ofUsd("10.00"));
            });
  }

  @Test
  void aTransactionWhoseLegsDoNotSumToZeroIsCounted() throws SQLException {
    OrganizationRepository.Founded org = db.orgWithCredits("10.00");
    try (Connection c = db.dataSource.getConnection();
        Statement s = c.createStatement()) {
      // the schema refuses an unbalanced transaction (a deferred trigger): only a superuser
      // switching triggers off can write one, and the balance trigger is off with it
      s.execute("SET session_replication_role = replica");
      s.execute(
          "INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos)"
              + " SELECT e.transaction_id, e.org_id, e.account_id, 1 FROM ledger_entries e"
              + " WHERE e.org_id = '"
              + org.organization().id()
              + "' LIMIT 1");
    }

    LedgerReconciler.Report report = reconciler.check();

    assertThat(report.unbalancedTransactions()).isEqualTo(1);
    assertThat(report.drifts())
        .singleElement()
        .satisfies(drift -> assertThat(drift.entries()).isEqualTo(Credits.ofUsd("10.000000001")));
    assertThat(report.clean()).isFalse();
  }
}
