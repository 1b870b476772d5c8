package dev.switchboard.api.rest.account;

import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.rest.keys.KeyView;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.ApiKeyRepository;
import dev.switchboard.domain.keys.FreeTier;
import dev.switchboard.domain.keys.KeyUsage;
import dev.switchboard.domain.ledger.SettlementQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /key}: what a key can learn about itself. {@code is_free_tier} is true while the key's
 * organization never bought the free tier's threshold (default $10) of credits in all (card
 * checkouts, auto top-ups, credited USDC transfers; operator grants are not purchases), as read
 * with the key at authentication (seconds old at most).
 */
@Path("/key")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CurrentKeyResource {

  /** {@code GET /key}: the calling key's limit and spend, in USD. */
  public record CurrentKeyView(
      String label,
      BigDecimal limit,
      BigDecimal limitRemaining,
      String limitReset,
      BigDecimal usage,
      BigDecimal usageDaily,
      BigDecimal usageWeekly,
      BigDecimal usageMonthly,
      boolean isFreeTier,
      boolean isManagementKey,
      String expiresAt,
      RateLimitView rateLimit) {}

  /** The tighter of the key's and its organization's request rate limits. */
  public record RateLimitView(int requests, String interval) {

    static RateLimitView of(Integer key, Integer org) {
      Integer rpm = key;
      if (rpm == null || (org != null && org < rpm)) {
        rpm = org;
      }
      return rpm == null ? null : new RateLimitView(rpm, "1m");
    }
  }

  private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

  @Inject KeyAuthenticator authenticator;
  @Inject ApiKeyRepository keys;
  @Inject SettlementQueue settlements;
  @Inject Clock clock;
  @Inject FreeTier freeTier;

  @GET
  public Map<String, CurrentKeyView> key(@HeaderParam("Authorization") String authorization) {
    ApiKey cached = authenticator.authenticate(authorization);
    settlements.awaitSettled(READ_YOUR_WRITES);
    ApiKey key = keys.findForOrg(cached.orgId(), cached.hash()).orElse(cached);
    KeyUsage usage = keys.usage(key);
    Instant now = clock.instant();
    return Map.of(
        "data",
        new CurrentKeyView(
            key.label(),
            KeyView.usd(key.limit()),
            KeyView.usd(key.limitRemaining(now)),
            key.limitReset() == null ? null : key.limitReset().wireName(),
            usage.total().toUsd(),
            usage.daily().toUsd(),
            usage.weekly().toUsd(),
            usage.monthly().toUsd(),
            // the organization's purchases are read with the key for authentication only
            freeTier.isFreeTier(cached.organizationPurchased()),
            key.management(),
            key.expiresAt() == null ? null : key.expiresAt().toString(),
            // the organization's limit is read with the key for authentication only
            RateLimitView.of(key.rateLimitRpm(), cached.organizationRateLimitRpm())));
  }
}
