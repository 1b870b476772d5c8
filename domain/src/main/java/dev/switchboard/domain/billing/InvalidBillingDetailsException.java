package dev.switchboard.domain.billing;

import dev.switchboard.domain.accounts.AccountRefusedException;

/** A part of the billing details that is not acceptable, and why: shown beside that field. */
public final class InvalidBillingDetailsException extends AccountRefusedException {

  private static final long serialVersionUID = 1L;

  private final BillingDetails.Part part;

  public InvalidBillingDetailsException(BillingDetails.Part part, String message) {
    super(Reason.INVALID, message);
    this.part = part;
  }

  public BillingDetails.Part part() {
    return part;
  }
}
