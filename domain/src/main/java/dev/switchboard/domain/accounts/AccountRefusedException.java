package dev.switchboard.domain.accounts;

/**
 * Something a person asked of their account that cannot be done; the message is written for them
 * and is safe to show (it never says whether another account exists). Its {@link Reason} tells an
 * API which status to answer.
 */
public class AccountRefusedException extends RuntimeException {

  /** Why it was refused. */
  public enum Reason {
    /** The request itself is wrong (a malformed address, a name too long, a used link). */
    INVALID,
    /** What it names does not exist, or not for this actor (a foreign organization or member). */
    NOT_FOUND,
    /** The actor's role does not allow it. */
    FORBIDDEN,
    /** It would break a rule of the organization as it is now (its last owner, a taken name). */
    CONFLICT
  }

  private final Reason reason;

  public AccountRefusedException(String message) {
    this(Reason.INVALID, message);
  }

  public AccountRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  static AccountRefusedException notFound(String message) {
    return new AccountRefusedException(Reason.NOT_FOUND, message);
  }

  static AccountRefusedException forbidden(String message) {
    return new AccountRefusedException(Reason.FORBIDDEN, message);
  }

  static AccountRefusedException conflict(String message) {
    return new AccountRefusedException(Reason.CONFLICT, message);
  }

  public Reason reason() {
    return reason;
  }
}
