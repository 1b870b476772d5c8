package dev.switchboard.domain.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id through password4j, with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). The hash
 * string carries its parameters, so stronger ones can be adopted later without breaking old hashes.
 */
public final class PasswordHasher {

  private static final Argon2Function ARGON2ID =
      Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
  private static final int SALT_BYTES = 16;

  /** Hashed once at start, so that an unknown account costs a sign-in as much as a known one. */
  private final String decoy = hash("no account has this password; it only spends time");

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(ARGON2ID).getResult();
  }

  public boolean matches(String password, String hash) {
    return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
  }

  /** Spends the time of a real check, for a sign-in whose account does not exist. */
  public void checkDecoy(String password) {
    matches(password, decoy);
  }
}
