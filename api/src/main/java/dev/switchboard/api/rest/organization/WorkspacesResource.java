package dev.switchboard.api.rest.organization;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.domain.accounts.WorkspaceService;
import dev.switchboard.domain.tenancy.Workspace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The workspaces API (management key): list the organization's workspaces, read one, create one.
 * Keys are put in a workspace with {@code workspace_id} when they are created.
 */
@Path("/workspaces")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class WorkspacesResource {

  private static final Set<String> CREATE_FIELDS = Set.of("name");

  /** A workspace as the API shows it. */
  public record WorkspaceView(String id, String name, boolean isDefault, String createdAt) {
    static WorkspaceView of(Workspace workspace) {
      return new WorkspaceView(
          workspace.id().toString(),
          workspace.name(),
          workspace.isDefault(),
          workspace.createdAt().toString());
    }
  }

  @Inject ManagementAuthenticator authenticator;
  @Inject RequestBodyParser parser;
  @Inject WorkspaceService workspaces;

  @GET
  public Map<String, List<WorkspaceView>> list(@HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of(
        "data",
        workspaces.list(caller.actor(), caller.org()).stream().map(WorkspaceView::of).toList());
  }

  @GET
  @Path("/{id}")
  public Map<String, WorkspaceView> read(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of("data", WorkspaceView.of(find(workspaces, caller, id)));
  }

  @POST
  public Response create(@HeaderParam("Authorization") String authorization, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(CREATE_FIELDS);
    Workspace created =
        workspaces.create(caller.actor(), caller.org(), fields.requiredString("name", 200));
    return Response.status(201).entity(Map.of("data", WorkspaceView.of(created))).build();
  }

  /**
   * The caller's workspace of that id; an unknown, malformed or foreign id answers 404.
   *
   * @throws ApiException 404
   */
  public static Workspace find(WorkspaceService workspaces, ManagementCaller caller, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
    return workspaces.find(caller.actor(), caller.org(), uuid).orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("No workspace " + (id.length() > 80 ? id.substring(0, 80) : id));
  }
}
