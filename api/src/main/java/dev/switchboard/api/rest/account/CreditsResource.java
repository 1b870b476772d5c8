package dev.switchboard.api.rest.account;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ManagementAuthenticator;
import dev.switchboard.api.http.ManagementCaller;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.ledger.AccountBalance;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.SettlementQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** {@code GET /credits} (management key): the organization's credits and usage, in USD. */
@Path("/credits")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CreditsResource {

  /** All credits ever added and all usage. */
  public record CreditsView(BigDecimal totalCredits, BigDecimal totalUsage) {}

  @Inject ManagementAuthenticator authenticator;
  @Inject Ledger ledger;
  @Inject SettlementQueue settlements;

  @GET
  public Map<String, CreditsView> credits(@HeaderParam("Authorization") String authorization) {
    ManagementCaller caller = authenticator.authenticate(authorization);
    if (!caller.can(Permission.VIEW_CREDITS)) {
      throw new ApiException(
          403, "Your role (" + caller.role().wireName() + ") does not allow seeing the credits");
    }
    settlements.awaitSettled(Duration.ofSeconds(5));
    AccountBalance balance = ledger.balance(caller.org());
    return Map.of(
        "data", new CreditsView(balance.totalCredits().toUsd(), balance.totalUsage().toUsd()));
  }
}
