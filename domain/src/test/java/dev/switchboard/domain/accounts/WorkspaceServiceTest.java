package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.MovableClock;
import dev.switchboard.domain.tenancy.Organization;
import dev.switchboard.domain.tenancy.Workspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkspaceServiceTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final DomainFixture db = new DomainFixture(clock);
  private final WorkspaceService workspaces = new WorkspaceService(db.accountTransactions, clock);
  private final Organization acme = db.organizations.found("Acme").organization();
  private final Actor acmeKey = Actor.managementKey(acme.id(), "a".repeat(64));

  @Test
  void anOrganizationStartsWithItsDefaultWorkspaceAndGainsNamedOnes() {
    Workspace research = workspaces.create(acmeKey, acme.id(), "  Research ");

    assertThat(research.name()).isEqualTo("Research");
    assertThat(research.isDefault()).isFalse();
    assertThat(workspaces.list(acmeKey, acme.id()))
        .extracting(Workspace::name, Workspace::isDefault)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("Default", true),
            org.assertj.core.api.Assertions.tuple("Research", false));
    assertThat(workspaces.find(acmeKey, acme.id(), research.id())).contains(research);
    assertThat(workspaces.find(acmeKey, acme.id(), UUID.randomUUID())).isEmpty();
  }

  @Test
  void aNameIsUniqueInTheOrganizationWhateverItsCaseAndIsChecked() {
    workspaces.create(acmeKey, acme.id(), "Research");
    long before = db.count("workspaces");

    assertThatThrownBy(() -> workspaces.create(acmeKey, acme.id(), "RESEARCH"))
        .isInstanceOf(AccountRefusedException.class)
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.CONFLICT);
    for (String bad : new String[] {"", "x".repeat(101), "<script>", "a\u0000b"}) {
      assertThatThrownBy(() -> workspaces.create(acmeKey, acme.id(), bad))
          .isInstanceOf(AccountRefusedException.class);
    }
    assertThat(db.count("workspaces")).isEqualTo(before);

    Organization other = db.organizations.found("Other").organization();
    Actor otherKey = Actor.managementKey(other.id(), "b".repeat(64));
    assertThat(workspaces.create(otherKey, other.id(), "Research").name()).isEqualTo("Research");
  }

  @Test
  void twoConcurrentCreationsOfOneNameMakeOneWorkspaceAndOneConflict() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Workspace>> both =
          pool.invokeAll(
              List.of(
                  () -> workspaces.create(acmeKey, acme.id(), "Research"),
                  () -> workspaces.create(acmeKey, acme.id(), "research")));
      List<Throwable> refused = new ArrayList<>();
      for (Future<Workspace> creation : both) {
        try {
          creation.get();
        } catch (ExecutionException e) {
          refused.add(e.getCause());
        }
      }

      assertThat(refused)
          .singleElement()
          .isInstanceOf(AccountRefusedException.class)
          .extracting(e -> ((AccountRefusedException) e).reason())
          .isEqualTo(AccountRefusedException.Reason.CONFLICT);
      assertThat(workspaces.list(acmeKey, acme.id())).hasSize(2);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aCreationThatLosesTheRaceForItsNameIsAConflict() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection rival = db.dataSource.getConnection()) {
      rival.setAutoCommit(false);
      try (PreparedStatement insert =
          rival.prepareStatement(
              "INSERT INTO workspaces (id, org_id, name, created_at) VALUES (?, ?, 'Research', now())")) {
        insert.setObject(1, UUID.randomUUID());
        insert.setObject(2, acme.id().value());
        insert.executeUpdate();
      }
      // the rival's row is not committed: the creation passes its check and waits on the index
      Future<Workspace> losing =
          pool.submit(() -> workspaces.create(acmeKey, acme.id(), "research"));
      awaitABackendWaitingOnALock();
      rival.commit();

      assertThatThrownBy(losing::get)
          .cause()
          .isInstanceOf(AccountRefusedException.class)
          .extracting(e -> ((AccountRefusedException) e).reason())
          .isEqualTo(AccountRefusedException.Reason.CONFLICT);
    } finally {
      pool.shutdown();
    }
    assertThat(workspaces.list(acmeKey, acme.id()))
        .extracting(Workspace::name)
        .containsExactly("Default", "Research");
  }

  private void awaitABackendWaitingOnALock() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the creation never waited for the rival's row");
      }
    }
  }

  @Test
  void anotherOrganizationsWorkspacesDoNotExistForTheCaller() {
    Organization other = db.organizations.found("Other").organization();
    Workspace theirs =
        workspaces.create(Actor.managementKey(other.id(), "b".repeat(64)), other.id(), "Secret");

    assertThatThrownBy(() -> workspaces.list(acmeKey, other.id()))
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.NOT_FOUND);
    assertThatThrownBy(() -> workspaces.create(acmeKey, other.id(), "Mine"))
        .extracting(e -> ((AccountRefusedException) e).reason())
        .isEqualTo(AccountRefusedException.Reason.NOT_FOUND);
    assertThat(workspaces.find(acmeKey, acme.id(), theirs.id())).isEmpty();
  }
}
