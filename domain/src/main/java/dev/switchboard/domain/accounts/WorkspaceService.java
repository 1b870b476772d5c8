package dev.switchboard.domain.accounts;

import dev.switchboard.domain.EntityTransactions;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.Workspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The workspaces of an organization: every member sees them (to put a key in one), owners and
 * admins create them ({@link Permission#MANAGE_WORKSPACES}); names are unique in the organization
 * whatever their case. A stranger is told the organization does not exist.
 */
public final class WorkspaceService {

  private static final String COLUMNS = "SELECT id, org_id, name, is_default, created_at";

  private final EntityTransactions transactions;
  private final MembershipRepository memberships = new JpaMembershipRepository();
  private final Clock clock;

  public WorkspaceService(EntityTransactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The organization's workspaces, the default one first, then by creation. */
  public List<Workspace> list(Actor actor, OrganizationId org) {
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          MembershipService.roleOf(memberships, u, org, actor);
          try (PreparedStatement query =
              c.prepareStatement(
                  COLUMNS
                      + " FROM workspaces WHERE org_id = ?"
                      + " ORDER BY is_default DESC, created_at, name")) {
            query.setObject(1, org.value());
            List<Workspace> workspaces = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                workspaces.add(workspace(rows));
              }
            }
            return workspaces;
          }
        });
  }

  /** One of the organization's workspaces; another organization's is not found. */
  public Optional<Workspace> find(Actor actor, OrganizationId org, UUID id) {
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          MembershipService.roleOf(memberships, u, org, actor);
          return find(c, org, id);
        });
  }

  /**
   * A new workspace.
   *
   * @throws AccountRefusedException when the actor may not, the name is not acceptable, or another
   *     workspace of the organization has it
   */
  public Workspace create(Actor actor, OrganizationId org, String nameText) {
    String name = DisplayNames.check(nameText, "the workspace a name");
    Instant now = clock.instant();
    return transactions.inTenant(
        org,
        u -> {
          Connection c = u.connection();
          Role role = MembershipService.roleOf(memberships, u, org, actor);
          if (!role.can(Permission.MANAGE_WORKSPACES)) {
            throw AccountRefusedException.forbidden(
                "Your role (" + role.wireName() + ") does not allow creating workspaces");
          }
          UUID id = UUID.randomUUID();
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO workspaces (id, org_id, name, is_default, created_at)"
                      + " VALUES (?, ?, ?, false, ?)"
                      + " ON CONFLICT (org_id, lower(name)) DO NOTHING")) {
            insert.setObject(1, id);
            insert.setObject(2, org.value());
            insert.setString(3, name);
            insert.setTimestamp(4, Timestamp.from(now));
            if (insert.executeUpdate() == 0) {
              throw AccountRefusedException.conflict("There is already a workspace called " + name);
            }
          }
          return find(c, org, id).orElseThrow();
        });
  }

  private static Optional<Workspace> find(Connection c, OrganizationId org, UUID id)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(COLUMNS + " FROM workspaces WHERE org_id = ? AND id = ?")) {
      query.setObject(1, org.value());
      query.setObject(2, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(workspace(rows)) : Optional.empty();
      }
    }
  }

  private static Workspace workspace(ResultSet rows) throws SQLException {
    return new Workspace(
        rows.getObject(1, UUID.class),
        new OrganizationId(rows.getObject(2, UUID.class)),
        rows.getString(3),
        rows.getBoolean(4),
        rows.getTimestamp(5).toInstant());
  }
}
