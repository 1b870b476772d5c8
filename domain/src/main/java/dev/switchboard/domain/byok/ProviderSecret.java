package dev.switchboard.domain.byok;

import dev.switchboard.domain.accounts.AccountRefusedException;
import java.nio.charset.StandardCharsets;

/**
 * An organization's API key for a provider, in plain text: held only on its way to being sealed and
 * on its way to the provider, never printed ({@link #toString()} shows its last four characters).
 */
public final class ProviderSecret {

  /** The largest secret accepted, in UTF-8 bytes. */
  public static final int MAX_BYTES = 4096;

  private final String value;

  private ProviderSecret(String value) {
    this.value = value;
  }

  /**
   * The secret as given: not empty, at most {@link #MAX_BYTES} bytes of UTF-8, without control
   * characters (no header or log line can carry a line break out of it) or unpaired surrogates.
   *
   * @throws AccountRefusedException (invalid) otherwise, without the secret in its message
   */
  public static ProviderSecret of(String value) {
    if (value == null || value.isBlank()) {
      throw new AccountRefusedException("'api_key' must be a non-empty string");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new AccountRefusedException("'api_key' must not contain control characters");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new AccountRefusedException("'api_key' must be valid text");
      }
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new AccountRefusedException("'api_key' must be at most " + MAX_BYTES + " bytes");
    }
    return new ProviderSecret(value);
  }

  /** The secret itself, for sealing it and for the provider's authorization header only. */
  public String reveal() {
    return value;
  }

  /** Its last four characters (fewer for a shorter one), to tell keys apart. */
  public String last4() {
    int codePoints = value.codePointCount(0, value.length());
    return value.substring(value.offsetByCodePoints(0, Math.max(0, codePoints - 4)));
  }

  @Override
  public String toString() {
    return "ProviderSecret[…" + last4() + "]";
  }
}
