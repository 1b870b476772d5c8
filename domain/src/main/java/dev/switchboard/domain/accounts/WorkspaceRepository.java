package dev.switchboard.domain.accounts;

import dev.switchboard.domain.UnitOfWork;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An organization's workspaces, inside the caller's transaction (a tenant's rows). */
interface WorkspaceRepository {

  /** The default workspace first, then by creation. */
  List<Workspace> list(UnitOfWork u, OrganizationId org);

  Optional<Workspace> find(UnitOfWork u, OrganizationId org, UUID id);

  /** A new workspace; empty when another of the organization has the name, whatever its case. */
  Optional<Workspace> create(UnitOfWork u, OrganizationId org, String name, Instant now);
}
