package dev.switchboard.launcher;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a malformed BYOK master key before anything starts, with the message the operator needs.
 * The application checks it again when it reads it (the domain's {@code MasterKey}); this early
 * check only spares starting a database and a server for a start that would fail.
 */
final class MasterKeySetting {

  private MasterKeySetting() {}

  /** Why the configured master keys are unusable, or empty when they are fine or unset. */
  static Optional<String> problem(Map<String, String> env) {
    for (String name : new String[] {"SWITCHBOARD_MASTER_KEY", "SWITCHBOARD_MASTER_KEY_PREVIOUS"}) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        continue;
      }
      String text = value.strip();
      byte[] bytes;
      try {
        bytes =
            text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                ? Base64.getUrlDecoder().decode(text)
                : Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        return Optional.of(
            name
                + " is not base64: it must be 32 random bytes in base64, e.g. the output of"
                + " `openssl rand -base64 32`");
      }
      if (bytes.length != 32) {
        return Optional.of(
            name
                + " decodes to "
                + bytes.length
                + " bytes: it must be exactly 32 random bytes (256 bits) in base64, e.g. the"
                + " output of `openssl rand -base64 32`");
      }
    }
    return Optional.empty();
  }
}
