package dev.switchboard.domain.accounts;

/**
 * Something a person asked of their account that cannot be done; the message is written for them
 * and is safe to show (it never says whether another account exists).
 */
public class AccountRefusedException extends RuntimeException {

  public AccountRefusedException(String message) {
    super(message);
  }
}
