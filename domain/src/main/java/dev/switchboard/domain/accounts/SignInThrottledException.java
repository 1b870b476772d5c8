package dev.switchboard.domain.accounts;

import java.time.Duration;

/** Too many failed sign-ins for this account or from this address: try again later. */
public class SignInThrottledException extends AccountRefusedException {

  private final Duration retryAfter;

  public SignInThrottledException(Duration retryAfter) {
    super(
        "Too many failed sign-ins. Try again in "
            + Math.max(1, (retryAfter.toSeconds() + 59) / 60)
            + " minutes, or reset your password.");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
