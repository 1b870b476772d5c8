package dev.switchboard.api.rest.organization;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.domain.accounts.Invitation;
import dev.switchboard.domain.accounts.Member;
import dev.switchboard.domain.accounts.MembershipService;
import dev.switchboard.domain.accounts.Role;
import dev.switchboard.domain.accounts.UserId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The members API (management key): the organization's members and pending invitations; invite by
 * e-mail, change a member's role, remove a member (and disable the keys they created, or give them
 * to another member with {@code ?reassign_keys_to=<member id>}). The domain checks every change
 * against the caller's role and keeps at least one owner; another organization's member answers
 * 404, as an unknown one does.
 */
@Path("/organization")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class MembersResource {

  private static final Set<String> INVITE_FIELDS = Set.of("email", "role");
  private static final Set<String> PATCH_FIELDS = Set.of("role");

  /** A member as the API shows it. */
  public record MemberView(String id, String email, String name, String role, String joinedAt) {
    static MemberView of(Member member) {
      return new MemberView(
          member.userId().value().toString(),
          member.email(),
          member.displayName(),
          member.role().wireName(),
          member.joinedAt().toString());
    }
  }

  /** A pending invitation: never its link, which only the invited address receives. */
  public record InvitationView(String email, String role, String invitedBy, String expiresAt) {
    static InvitationView of(Invitation invitation) {
      return new InvitationView(
          invitation.email(),
          invitation.role().wireName(),
          invitation.invitedBy(),
          invitation.expiresAt().toString());
    }
  }

  /**
   * The answer to a removal: the keys the member had created there, now disabled, or given to the
   * member named by {@code reassign_keys_to}.
   */
  public record RemovedView(
      boolean deleted, List<String> disabledKeys, List<String> reassignedKeys) {}

  @Inject ManagementAuthenticator authenticator;
  @Inject KeyAuthenticator keyCache;
  @Inject RequestBodyParser parser;
  @Inject MembershipService memberships;

  @GET
  @Path("/members")
  public Map<String, List<MemberView>> members(@HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of(
        "data",
        memberships.members(caller.actor(), caller.org()).stream().map(MemberView::of).toList());
  }

  @GET
  @Path("/invitations")
  public Map<String, List<InvitationView>> invitations(
      @HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of(
        "data",
        memberships.pendingInvitations(caller.actor(), caller.org()).stream()
            .map(InvitationView::of)
            .toList());
  }

  @POST
  @Path("/invitations")
  public Response invite(@HeaderParam("Authorization") String authorization, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(INVITE_FIELDS);
    String email = fields.requiredString("email", 254);
    Role role = role(fields);
    Invitation invitation = memberships.invite(caller.actor(), caller.org(), email, role);
    return Response.status(201).entity(Map.of("data", InvitationView.of(invitation))).build();
  }

  @PATCH
  @Path("/members/{id}")
  public Map<String, MemberView> changeRole(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(PATCH_FIELDS);
    Role role = role(fields);
    Member changed = memberships.changeRole(caller.actor(), caller.org(), member(id), role);
    return Map.of("data", MemberView.of(changed));
  }

  @DELETE
  @Path("/members/{id}")
  public RemovedView remove(
      @HeaderParam("Authorization") String authorization,
      @PathParam("id") String id,
      @QueryParam("reassign_keys_to") String heir) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    MembershipService.Removal removal =
        memberships.remove(
            caller.actor(), caller.org(), member(id), heir == null ? null : member(heir));
    removal.disabledKeyHashes().forEach(keyCache::invalidate);
    return new RemovedView(true, removal.disabledKeyHashes(), removal.reassignedKeyHashes());
  }

  private static Role role(ObjectFields fields) {
    String text = fields.requiredString("role", 16);
    return Role.parse(text)
        .orElseThrow(
            () -> ApiException.badRequest("'role' must be one of owner, admin, billing, member"));
  }

  /** A member id; one that is not even a UUID names nobody, like a foreign one (404). */
  private static UserId member(String id) {
    try {
      return new UserId(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("No such member");
    }
  }
}
