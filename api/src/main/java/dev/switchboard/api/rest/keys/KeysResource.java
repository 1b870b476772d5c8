package dev.switchboard.api.rest.keys;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.api.rest.organization.WorkspacesResource;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.accounts.WorkspaceService;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.KeyPatch;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.keys.NewApiKey;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationRepository;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The keys API (management key): list, create (plaintext shown once, in the default workspace
 * unless {@code workspace_id} names another), read, update and delete the organization's keys.
 * Another organization's key answers 404, as an unknown one does.
 */
@Path("/keys")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class KeysResource {

  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "limit", "limit_reset", "expires_at", "workspace_id", "rate_limit_rpm");
  private static final Set<String> PATCH_FIELDS =
      Set.of("name", "disabled", "limit", "limit_reset", "expires_at", "rate_limit_rpm");

  /** The answer to a creation: the key's record and its plaintext, which is never shown again. */
  public record CreatedView(KeyView data, String key) {}

  @Inject ManagementAuthenticator authenticator;
  @Inject KeyAuthenticator keyCache;
  @Inject RequestBodyParser parser;
  @Inject ApiKeyRepository keys;
  @Inject OrganizationRepository organizations;
  @Inject WorkspaceService workspaces;
  @Inject Clock clock;

  @GET
  public Map<String, List<KeyView>> list(@HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of(
        "data",
        keys.listForOrg(caller.org()).stream()
            .filter(k -> mayManage(caller, k))
            .map(k -> KeyView.of(k, clock))
            .toList());
  }

  @POST
  public Response create(@HeaderParam("Authorization") String authorization, byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(CREATE_FIELDS);
    String name = fields.requiredString("name", 200).trim();
    Credits limit = limit(fields);
    LimitReset reset = limitReset(fields);
    Instant expiresAt = futureInstant(fields);
    String workspaceId = fields.optionalString("workspace_id", 64);
    UUID workspace =
        workspaceId == null
            ? organizations.find(caller.org()).orElseThrow().defaultWorkspaceId()
            : WorkspacesResource.find(workspaces, caller, workspaceId).id();
    NewApiKey created =
        keys.createFor(
            caller.org(),
            workspace,
            new KeySettings(name, limit, reset, expiresAt, rateLimit(fields)),
            caller.userId().orElse(null));
    return Response.status(201)
        .entity(new CreatedView(KeyView.of(created.key(), clock), created.plaintext()))
        .build();
  }

  @GET
  @Path("/{hash}")
  public Map<String, KeyView> read(
      @HeaderParam("Authorization") String authorization, @PathParam("hash") String hash) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of("data", KeyView.of(manageable(caller, hash), clock));
  }

  @PATCH
  @Path("/{hash}")
  public Map<String, KeyView> update(
      @HeaderParam("Authorization") String authorization,
      @PathParam("hash") String hash,
      byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    manageable(caller, hash);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(PATCH_FIELDS);
    String name = fields.optionalString("name", 200);
    if (fields.isNull("name")) {
      throw ApiException.badRequest("'name' cannot be removed");
    }
    KeyPatch patch =
        new KeyPatch(
            name == null ? null : name.trim(),
            fields.optionalBoolean("disabled"),
            fields.has("limit"),
            limit(fields),
            fields.has("limit_reset"),
            limitReset(fields),
            fields.has("expires_at"),
            futureInstant(fields),
            fields.has("rate_limit_rpm"),
            rateLimit(fields));
    ApiKey updated = keys.update(caller.org(), hash, patch).orElseThrow(() -> notFound(hash));
    keyCache.invalidate(updated.hash());
    return Map.of("data", KeyView.of(updated, clock));
  }

  @DELETE
  @Path("/{hash}")
  public Map<String, Boolean> delete(
      @HeaderParam("Authorization") String authorization, @PathParam("hash") String hash) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    manageable(caller, hash);
    if (caller.actor() instanceof Actor.ManagementKey self && self.keyHash().equals(hash)) {
      throw ApiException.badRequest("A management key cannot delete itself");
    }
    if (!keys.delete(caller.org(), hash)) {
      throw notFound(hash);
    }
    keyCache.invalidate(hash);
    return Map.of("deleted", true);
  }

  /** Owners, admins and management keys manage every key; other members only their own. */
  private static boolean mayManage(ManagementCaller caller, ApiKey key) {
    return caller.can(Permission.MANAGE_ALL_KEYS)
        || caller.userId().map(id -> id.equals(key.createdBy())).orElse(false);
  }

  /** The caller's key of that hash; one they may not manage is as unknown as a foreign one. */
  private ApiKey manageable(ManagementCaller caller, String hash) {
    return keys.findForOrg(caller.org(), hash)
        .filter(k -> mayManage(caller, k))
        .orElseThrow(() -> notFound(hash));
  }

  private static Credits limit(ObjectFields fields) {
    BigDecimal amount = fields.optionalAmount("limit");
    if (amount == null) {
      return null;
    }
    try {
      return Credits.ofUsd(amount);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'limit': " + e.getMessage());
    }
  }

  /** Requests per minute, or null for none. */
  private static Integer rateLimit(ObjectFields fields) {
    return fields.optionalInteger("rate_limit_rpm", 1, KeySettings.MAX_RATE_LIMIT_RPM);
  }

  private static LimitReset limitReset(ObjectFields fields) {
    String text = fields.optionalString("limit_reset", 16);
    if (text == null) {
      return null;
    }
    return LimitReset.parse(text)
        .orElseThrow(
            () -> ApiException.badRequest("'limit_reset' must be daily, weekly, monthly or null"));
  }

  private Instant futureInstant(ObjectFields fields) {
    Instant expiresAt = fields.optionalInstant("expires_at");
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      throw ApiException.badRequest("'expires_at' must be in the future");
    }
    return expiresAt;
  }

  private static ApiException notFound(String hash) {
    return ApiException.notFound("No key " + (hash.length() > 80 ? hash.substring(0, 80) : hash));
  }
}
