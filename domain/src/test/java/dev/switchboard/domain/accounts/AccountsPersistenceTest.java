package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.DataAccessException;
import dev.switchboard.domain.DomainFixture;
import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.Organization;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.Workspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The account entities over the real schema: each mapping stores and reads back every column, the
 * entity manager's work shares its transaction and tenant scope with the JDBC work, and no cache
 * outlives a transaction.
 */
class AccountsPersistenceTest {

  private final DomainFixture db = new DomainFixture();
  private final EntityTransactions transactions = db.accountTransactions;
  // PostgreSQL keeps microseconds
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  @Test
  void anAccountRoundTripsEveryColumn() {
    User ada = user("ada@example.com");

    transactions.inTransaction(
        u -> {
          Account account = new Account(ada, "$argon2id$hash");
          account.verifyAddress(now.plusSeconds(5));
          u.entities().persist(account);
          return null;
        });

    Account read =
        transactions.inTransaction(u -> u.entities().find(Account.class, ada.id().value()));
    assertThat(read.asUser())
        .isEqualTo(
            new User(ada.id(), ada.email(), ada.displayName(), true, ada.personalOrgId(), now));
    assertThat(read.passwordHash()).isEqualTo("$argon2id$hash");
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM users WHERE updated_at = created_at + interval '5 s'"))
        .isEqualTo(1);
  }

  @Test
  void sessionsLinksAndIdentitiesRoundTrip() {
    User ada = user("ada@example.com");
    transactions.inTransaction(
        u -> {
          u.entities().persist(new Account(ada, null));
          u.entities().flush();
          u.entities()
              .persist(new SignInSession("a".repeat(64), ada.id(), now, now.plusSeconds(60)));
          u.entities()
              .persist(
                  new EmailLink(
                      "b".repeat(64),
                      ada.id(),
                      EmailLinks.Purpose.VERIFY_EMAIL,
                      now,
                      now.plusSeconds(60)));
          u.entities().persist(new LinkedIdentity("https://idp.test", "sub-1", ada.id(), now));
          return null;
        });

    transactions.inTransaction(
        u -> {
          SignInSession session = u.entities().find(SignInSession.class, "a".repeat(64));
          assertThat(session.user()).isEqualTo(ada.id());
          assertThat(session.isLive(now.plusSeconds(59))).isTrue();
          assertThat(session.isLive(now.plusSeconds(60))).isFalse();
          EmailLink link = u.entities().find(EmailLink.class, "b".repeat(64));
          assertThat(link.use(EmailLinks.Purpose.RESET_PASSWORD, now)).isEmpty();
          assertThat(link.use(EmailLinks.Purpose.VERIFY_EMAIL, now)).contains(ada.id());
          LinkedIdentity identity =
              u.entities()
                  .find(LinkedIdentity.class, new LinkedIdentity.Key("https://idp.test", "sub-1"));
          assertThat(identity.user()).isEqualTo(ada.id());
          return null;
        });
    assertThat(db.queryLong("SELECT count(*) FROM email_links WHERE used_at IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void aRowChangedElsewhereIsReadAfreshByTheNextTransaction() {
    User ada = user("ada@example.com");
    transactions.inTransaction(
        u -> {
          u.entities().persist(new Account(ada, null));
          return null;
        });
    assertThat(displayName(ada)).isEqualTo("Someone");

    ownerUpdate("UPDATE users SET display_name = 'Renamed' WHERE id = '" + ada.id().value() + "'");

    assertThat(displayName(ada)).isEqualTo("Renamed");
  }

  @Test
  void entityAndJdbcWorkCommitAndRollBackTogether() {
    User ada = user("ada@example.com");

    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    u -> {
                      db.organizations.found(u.connection(), "Doomed", true);
                      u.entities().persist(new Account(ada, null));
                      u.entities().flush();
                      throw new IllegalStateException("changed my mind");
                    }))
        .hasMessage("changed my mind");

    assertThat(db.queryLong("SELECT count(*) FROM organizations WHERE name = 'Doomed'")).isZero();
    assertThat(db.count("users")).isZero();
  }

  @Test
  void theTenantScopeHoldsTheEntityManagersQueries() {
    OrganizationId acme = db.orgWithCredits("0").organization().id();
    OrganizationId globex = db.orgWithCredits("0").organization().id();

    assertThat(transactions.<Long>inTenant(acme, u -> workspaceOrgs(u))).isEqualTo(1);
    assertThat(transactions.<Long>inTenant(acme, u -> workspacesOf(u, globex))).isZero();
    assertThat(transactions.<Long>inTenant(globex, u -> workspacesOf(u, globex))).isEqualTo(1);
    assertThat(transactions.<Long>acrossTenants(u -> workspaceOrgs(u))).isEqualTo(2);
    assertThat(transactions.<Long>inTransaction(u -> workspaceOrgs(u))).isZero();
  }

  @Test
  void aTenantsTransactionFindsNoOtherOrganizationsMembershipsEvenJustAfterTheyWereRead() {
    AccountsFixture people = new AccountsFixture(db, db.clock);
    User ada = people.verifiedUser("ada@example.com");
    User bob = people.verifiedUser("bob@example.com");
    OrganizationId adas = ada.personalOrgId();
    OrganizationId bobs = bob.personalOrgId();
    MembershipEntity.Key bobsKey = new MembershipEntity.Key(bobs, bob.id());

    assertThat(
            transactions.<MembershipEntity>inTenant(
                bobs, u -> u.entities().find(MembershipEntity.class, bobsKey)))
        .isNotNull();
    assertThat(
            transactions.<MembershipEntity>inTenant(
                adas, u -> u.entities().find(MembershipEntity.class, bobsKey)))
        .isNull();
    assertThat(
            transactions.<List<MembershipEntity>>inTenant(
                adas,
                u ->
                    u.entities()
                        .createQuery("SELECT m FROM MembershipEntity m", MembershipEntity.class)
                        .getResultList()))
        .extracting(MembershipEntity::user)
        .containsExactly(ada.id());
    assertThat(
            transactions.<MembershipEntity>inTransaction(
                u -> u.entities().find(MembershipEntity.class, bobsKey)))
        .isNull();
  }

  @Test
  void membershipsAndInvitationsRoundTrip() {
    AccountsFixture people = new AccountsFixture(db, db.clock);
    User ada = people.verifiedUser("ada@example.com");
    Organization team =
        db.transactions.inTransaction(c -> db.organizations.found(c, "Team", false));
    transactions.inTenant(
        team.id(),
        u -> {
          u.entities().persist(new MembershipEntity(team.id(), ada.id(), Role.BILLING, now));
          u.entities()
              .persist(
                  new InvitationEntity(
                      "c".repeat(64),
                      team.id(),
                      "bob@example.com",
                      Role.MEMBER,
                      Actor.member(ada.id()),
                      now));
          return null;
        });

    transactions.inTenant(
        team.id(),
        u -> {
          MembershipEntity membership =
              u.entities()
                  .find(MembershipEntity.class, new MembershipEntity.Key(team.id(), ada.id()));
          assertThat(membership.role()).isEqualTo(Role.BILLING);
          assertThat(membership.joinedAt()).isEqualTo(now);
          InvitationEntity invitation = u.entities().find(InvitationEntity.class, "c".repeat(64));
          assertThat(invitation.org()).isEqualTo(team.id());
          assertThat(invitation.email()).isEqualTo("bob@example.com");
          assertThat(invitation.role()).isEqualTo(Role.MEMBER);
          assertThat(invitation.invitedBy()).isEqualTo(ada.id());
          assertThat(invitation.invitedByKey()).isNull();
          assertThat(invitation.expiresAt())
              .isEqualTo(now.plus(MembershipService.INVITATION_LIFETIME));
          assertThat(invitation.isPending(now)).isTrue();
          invitation.accept(ada.id(), now);
          return null;
        });
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM invitations WHERE accepted_by = '"
                    + ada.id().value()
                    + "' AND ended_at IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void aWorkspaceRoundTripsAndAnotherTenantNeitherFindsNorWritesIt() {
    OrganizationId acme = db.orgWithCredits("0").organization().id();
    OrganizationId globex = db.orgWithCredits("0").organization().id();
    WorkspaceEntity research = new WorkspaceEntity(acme, "Research", now);
    transactions.inTenant(
        acme,
        u -> {
          u.entities().persist(research);
          return null;
        });
    Workspace stored = research.asWorkspace();

    assertThat(
            transactions.<Workspace>inTenant(
                acme, u -> u.entities().find(WorkspaceEntity.class, stored.id()).asWorkspace()))
        .isEqualTo(new Workspace(stored.id(), acme, "Research", false, now));
    assertThat(
            transactions.<WorkspaceEntity>inTenant(
                globex, u -> u.entities().find(WorkspaceEntity.class, stored.id())))
        .isNull();
    assertThat(
            transactions.<List<Workspace>>inTenant(
                globex,
                u ->
                    u.entities()
                        .createQuery("SELECT w FROM WorkspaceEntity w", WorkspaceEntity.class)
                        .getResultStream()
                        .map(WorkspaceEntity::asWorkspace)
                        .toList()))
        .extracting(Workspace::orgId)
        .containsExactly(globex);
    assertThatThrownBy(
            () ->
                transactions.inTenant(
                    globex,
                    u -> {
                      u.entities().persist(new WorkspaceEntity(acme, "Planted", now));
                      u.entities().flush();
                      return null;
                    }))
        .isInstanceOf(DataAccessException.class);
    assertThat(db.queryLong("SELECT count(*) FROM workspaces WHERE name = 'Planted'")).isZero();
  }

  private User user(String email) {
    Organization personal =
        db.transactions.inTransaction(c -> db.organizations.found(c, "Personal", true));
    return new User(UserId.newId(), email, "Someone", false, personal.id(), now);
  }

  private String displayName(User user) {
    return transactions.inTransaction(
        u -> u.entities().find(Account.class, user.id().value()).asUser().displayName());
  }

  private static long workspaceOrgs(UnitOfWork u) {
    return ((Number)
            u.entities()
                .createNativeQuery("SELECT count(DISTINCT org_id) FROM workspaces")
                .getSingleResult())
        .longValue();
  }

  private static long workspacesOf(UnitOfWork u, OrganizationId org) {
    return ((Number)
            u.entities()
                .createNativeQuery("SELECT count(*) FROM workspaces WHERE org_id = ?")
                .setParameter(1, org.value())
                .getSingleResult())
        .longValue();
  }

  private void ownerUpdate(String sql) {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement update = c.prepareStatement(sql)) {
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
