package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.Workspace;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Workspaces through JPA. */
final class JpaWorkspaceRepository implements WorkspaceRepository {

  @Override
  public List<Workspace> list(UnitOfWork u, OrganizationId org) {
    return u.entities()
        .createQuery(
            "SELECT w FROM WorkspaceEntity w WHERE w.orgId = :org"
                + " ORDER BY w.isDefault DESC, w.createdAt, w.name",
            WorkspaceEntity.class)
        .setParameter("org", org.value())
        .getResultStream()
        .map(WorkspaceEntity::asWorkspace)
        .toList();
  }

  @Override
  public Optional<Workspace> find(UnitOfWork u, OrganizationId org, UUID id) {
    return u.entities()
        .createQuery(
            "SELECT w FROM WorkspaceEntity w WHERE w.orgId = :org AND w.id = :id",
            WorkspaceEntity.class)
        .setParameter("org", org.value())
        .setParameter("id", id)
        .getResultStream()
        .findFirst()
        .map(WorkspaceEntity::asWorkspace);
  }

  @Override
  public Optional<Workspace> create(UnitOfWork u, OrganizationId org, String name, Instant now) {
    // the unique index (org_id, lower(name)) still decides between two concurrent creations
    boolean taken =
        !u.entities()
            .createQuery(
                "SELECT w.id FROM WorkspaceEntity w"
                    + " WHERE w.orgId = :org AND LOWER(w.name) = LOWER(:name)",
                UUID.class)
            .setParameter("org", org.value())
            .setParameter("name", name)
            .getResultList()
            .isEmpty();
    if (taken) {
      return Optional.empty();
    }
    WorkspaceEntity workspace = new WorkspaceEntity(org, name, now);
    u.entities().persist(workspace);
    try {
      u.entities().flush();
    } catch (PersistenceException e) {
      if (isUniqueViolation(e)) {
        return Optional.empty(); // created concurrently under the same name
      }
      throw e;
    }
    return Optional.of(workspace.asWorkspace());
  }

  private static boolean isUniqueViolation(PersistenceException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
