package dev.switchboard.api.rest.operator;

import dev.switchboard.api.http.OperatorGuard;
import dev.switchboard.domain.ledger.LedgerReconciler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /operator/reconciliation}: checks the ledger now, for every organization, and says
 * what disagrees (nothing, when all is well). The same check runs on a schedule and logs drift.
 */
@Path("/operator/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ReconciliationResource {

  /** An organization whose books disagree; amounts in USD. */
  public record DriftView(
      String organization_id,
      BigDecimal balance,
      BigDecimal entries,
      BigDecimal expected,
      BigDecimal drift) {}

  /** What the check found. */
  public record ReportView(
      int organizations,
      long unbalanced_transactions,
      boolean clean,
      List<DriftView> drift,
      long overage_requests,
      BigDecimal overage) {}

  @Inject OperatorGuard guard;
  @Inject LedgerReconciler reconciler;

  @GET
  public Map<String, ReportView> check(@HeaderParam("Authorization") String authorization) {
    guard.check(authorization);
    LedgerReconciler.Report report = reconciler.check();
    return Map.of(
        "data",
        new ReportView(
            report.organizations(),
            report.unbalancedTransactions(),
            report.clean(),
            report.drifts().stream()
                .map(
                    d ->
                        new DriftView(
                            d.org().toString(),
                            d.balance().toUsd(),
                            d.entries().toUsd(),
                            d.expected().toUsd(),
                            d.amount().toUsd()))
                .toList(),
            report.overageRequests(),
            report.overage().toUsd()));
  }
}
