package dev.switchboard.domain.ledger;

/** An idempotency key reused for a different request: refused, nothing moves. */
public final class IdempotencyConflictException extends RuntimeException {

  public IdempotencyConflictException(String idempotencyKey) {
    super("the Idempotency-Key '" + idempotencyKey + "' was already used for a different request");
  }
}
