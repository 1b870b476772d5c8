package dev.switchboard.api.platform;

import dev.switchboard.domain.DataAccessException;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.ledger.LeaseRetirement;
import dev.switchboard.domain.ledger.SpendGate;
import dev.switchboard.domain.tenancy.OrganizationId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Retires an organization's spend leases on every instance: this one's at once (what they hold
 * unused is back in the database when it returns), the others' when they hear the {@link
 * KeyChange.Leases} announcement. Used wherever what an organization may spend goes down by other
 * means than its requests: refunds, disputes, expiries, reversals.
 */
@ApplicationScoped
public class ClusterLeaseRetirement implements LeaseRetirement {

  private static final Logger LOG = Logger.getLogger(ClusterLeaseRetirement.class.getName());

  @Inject SpendGate spendGate;
  @Inject TransactionRunner transactions;

  @Override
  public void retireLeases(OrganizationId org) {
    spendGate.retireLeases(org);
    try {
      transactions.acrossTenants(
          c -> {
            KeyChange.announceLeases(c, org);
            return null;
          });
    } catch (DataAccessException e) {
      // this instance's are retired; the others' lapse within the lease idle period or are
      // refused at their next grant
      LOG.warning("could not announce the retirement of " + org + "'s leases: " + e);
    }
  }
}
