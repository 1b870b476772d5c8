package dev.switchboard.api.rest.operator;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.http.ObjectFields;
import dev.switchboard.api.http.OperatorGuard;
import dev.switchboard.api.http.RequestBodyParser;
import dev.switchboard.domain.keys.KeySettings;
import dev.switchboard.domain.ledger.GrantReceipt;
import dev.switchboard.domain.ledger.IdempotencyConflictException;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationDirectory;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The operator's API: founding organizations and granting them credits. */
@Path("/operator/organizations")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class OperatorResource {

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  /** A founded organization and its management key, shown this once. */
  public record FoundedView(String id, String name, String managementKey) {}

  /** A grant's ledger transaction and the balance after it. */
  public record GrantView(long entryId, String amount, String balance) {}

  @Inject OperatorGuard guard;
  @Inject RequestBodyParser parser;
  @Inject OrganizationRepository organizations;
  @Inject Ledger ledger;
  @Inject OrganizationDirectory directory;
  @Inject KeyAuthenticator keyCache;

  @POST
  public Response found(@HeaderParam("Authorization") String authorization, byte[] body) {
    guard.check(authorization);
    ObjectFields fields = new ObjectFields(parser.parseObject(body)).onlyKnown(Set.of("name"));
    String name = fields.requiredString("name", 200).trim();
    OrganizationRepository.Founded founded = organizations.found(name);
    return Response.status(201)
        .entity(
            new FoundedView(
                founded.organization().id().toString(),
                founded.organization().name(),
                founded.managementKey().plaintext()))
        .build();
  }

  /** An organization's settings the operator sets. */
  public record SettingsView(String id, Integer rateLimitRpm) {}

  /**
   * Sets an organization's request rate limit: {@code {"rate_limit_rpm": 600}} (requests per minute
   * over all its keys), or null for none.
   */
  @PATCH
  @Path("/{id}")
  public Map<String, SettingsView> update(
      @HeaderParam("Authorization") String authorization, @PathParam("id") String id, byte[] body) {
    guard.check(authorization);
    ObjectFields fields =
        new ObjectFields(parser.parseObject(body)).onlyKnown(Set.of("rate_limit_rpm"));
    if (!fields.has("rate_limit_rpm")) {
      throw ApiException.badRequest("'rate_limit_rpm' is required (a number, or null for none)");
    }
    Integer rpm = fields.optionalInteger("rate_limit_rpm", 1, KeySettings.MAX_RATE_LIMIT_RPM);
    OrganizationId org =
        OrganizationId.parse(id).orElseThrow(() -> ApiException.notFound("No organization " + id));
    List<String> keyHashes =
        directory
            .setRateLimit(org, rpm)
            .orElseThrow(() -> ApiException.notFound("No organization " + id));
    keyHashes.forEach(keyCache::invalidate);
    return Map.of("data", new SettingsView(org.toString(), rpm));
  }

  @POST
  @Path("/{id}/credits")
  public Response grant(
      @HeaderParam("Authorization") String authorization,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      @PathParam("id") String id,
      byte[] body) {
    guard.check(authorization);
    if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw ApiException.badRequest(
          "An Idempotency-Key header (1 to 200 visible ASCII characters) is required, so a retried grant counts once");
    }
    OrganizationId org =
        OrganizationId.parse(id)
            .filter(candidate -> organizations.find(candidate).isPresent())
            .orElseThrow(() -> ApiException.notFound("No organization " + id));
    ObjectFields fields =
        new ObjectFields(parser.parseObject(body)).onlyKnown(Set.of("amount", "reason"));
    BigDecimal amount = fields.optionalAmount("amount");
    if (amount == null || amount.signum() == 0) {
      throw ApiException.badRequest(
          "'amount' is required and must be positive, in USD such as \"10.00\"");
    }
    Credits credits;
    try {
      credits = Credits.ofUsd(amount);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'amount': " + e.getMessage());
    }
    String reason = fields.optionalString("reason", 500);
    GrantReceipt receipt;
    try {
      receipt =
          ledger.grant(
              org,
              credits,
              idempotencyKey,
              digest(credits.nanos() + "|" + (reason == null ? "" : reason)),
              reason == null ? "operator grant" : reason);
    } catch (IdempotencyConflictException e) {
      throw new ApiException(422, e.getMessage());
    }
    // a replay answers as the original did (201, same entry), flagged by Idempotent-Replayed
    return Response.status(201)
        .header("Idempotent-Replayed", String.valueOf(receipt.replayed()))
        .entity(
            new GrantView(
                receipt.transactionId(),
                receipt.amount().toUsdString(),
                receipt.balanceAfter().toUsdString()))
        .build();
  }

  private static String digest(String canonical) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
