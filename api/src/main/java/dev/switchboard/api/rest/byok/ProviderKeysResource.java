package dev.switchboard.api.rest.byok;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.byok.ProviderKeyService;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.byok.ProviderKey;
import dev.switchboard.domain.byok.ProviderSecret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An organization's own provider keys (management key, which acts as {@code admin}; owners and
 * admins may manage them): {@code PUT /byok/{provider}} {@code {"api_key", "base_url"?,
 * "always_use"?}} sets or rotates one, {@code GET /byok} lists them, {@code POST
 * /byok/{provider}/check} sends one cheap request through one, {@code DELETE /byok/{provider}}
 * removes one. {@code {provider}} is a catalog provider's slug (an unknown one is 404). The body is
 * checked whole, and {@code base_url} against the address rules, before anything is stored; the
 * secret is never part of an answer.
 */
@Path("/byok")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ProviderKeysResource {

  private static final Set<String> FIELDS = Set.of("api_key", "base_url", "always_use");

  /** A provider key as the API shows it: everything but the secret. */
  public record ProviderKeyView(
      String provider,
      String baseUrl,
      String last4,
      boolean alwaysUse,
      String createdAt,
      String updatedAt) {

    static ProviderKeyView of(ProviderKey key) {
      return new ProviderKeyView(
          key.provider(),
          key.baseUrl().orElse(null),
          key.last4(),
          key.alwaysUse(),
          key.createdAt().toString(),
          key.updatedAt().toString());
    }
  }

  @Inject ManagementAuthenticator authenticator;
  @Inject RequestBodyParser parser;
  @Inject ProviderKeyService providerKeys;

  @GET
  public Map<String, List<ProviderKeyView>> list(
      @HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    return Map.of(
        "data",
        providerKeys.list(caller.actor(), caller.org()).stream().map(ProviderKeyView::of).toList());
  }

  @PUT
  @Path("/{provider}")
  public Map<String, ProviderKeyView> put(
      @HeaderParam("Authorization") String authorization,
      @PathParam("provider") String provider,
      byte[] body) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    String slug = providerKeys.provider(provider).slug(); // 404 before the body is read
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(FIELDS);
    String apiKey = apiKey(fields);
    Optional<String> baseUrl =
        Optional.ofNullable(fields.optionalString("base_url", BaseUrlGuard.MAX_LENGTH));
    Boolean alwaysUse = fields.optionalBoolean("always_use");
    // the secret's and base URL's rules (400) and the role's permission (403) are the service's
    ProviderKey saved =
        providerKeys.set(
            caller.actor(), caller.org(), slug, apiKey, baseUrl, alwaysUse != null && alwaysUse);
    return Map.of("data", ProviderKeyView.of(saved));
  }

  /**
   * What one cheap request through a key showed.
   *
   * @param error the provider's failure, when it did not work
   */
  public record KeyCheckView(
      String provider, String model, boolean works, long latencyMs, String error) {}

  /** Sends one cheap request through the organization's key for the provider. */
  @POST
  @Path("/{provider}/check")
  public Map<String, KeyCheckView> check(
      @HeaderParam("Authorization") String authorization, @PathParam("provider") String provider) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    String slug = providerKeys.provider(provider).slug();
    ProviderKeyService.KeyCheck check = providerKeys.check(caller.actor(), caller.org(), slug);
    return Map.of(
        "data",
        new KeyCheckView(
            slug, check.model(), check.works(), check.millis(), check.problem().orElse(null)));
  }

  @DELETE
  @Path("/{provider}")
  public Response delete(
      @HeaderParam("Authorization") String authorization, @PathParam("provider") String provider) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    String slug = providerKeys.provider(provider).slug();
    if (!providerKeys.delete(caller.actor(), caller.org(), slug)) {
      throw ApiException.notFound("No provider key for " + slug);
    }
    return Response.noContent().build();
  }

  /**
   * The secret, read without {@link ObjectFields#requiredString}, whose messages and limit (in
   * characters) suit names: the provider secret's rules and messages are {@link ProviderSecret}'s.
   */
  private static String apiKey(ObjectFields fields) {
    if (!fields.has("api_key") || fields.isNull("api_key")) {
      throw ApiException.badRequest("'api_key' is required");
    }
    JsonNode value = fields.node("api_key");
    if (!value.isTextual()) {
      throw ApiException.badRequest("'api_key' must be a string");
    }
    return value.textValue();
  }
}
