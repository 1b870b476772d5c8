package dev.switchboard.domain.accounts;

import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.Workspace;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A workspace of an organization (a tenant's row). Only named ones are made here: the default one
 * comes with the organization, which is founded in SQL.
 */
@Entity
@Table(name = "workspaces")
class WorkspaceEntity {

  @Id private UUID id;

  @Column(name = "org_id")
  private UUID orgId;

  private String name;

  @Column(name = "is_default")
  private boolean isDefault;

  @Column(name = "created_at")
  private Instant createdAt;

  protected WorkspaceEntity() {}

  WorkspaceEntity(OrganizationId org, String name, Instant now) {
    this.id = UUID.randomUUID();
    this.orgId = org.value();
    this.name = name;
    this.isDefault = false;
    this.createdAt = now;
  }

  Workspace asWorkspace() {
    return new Workspace(id, new OrganizationId(orgId), name, isDefault, createdAt);
  }
}
