package dev.switchboard.domain.accounts;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An e-mail address as accounts keep it: trimmed and lower-cased, at most 254 characters, one
 * {@code @} between a local part and a domain with a dot, and nothing a mail header or a page could
 * mistake for markup or a second address.
 */
public final class EmailAddress {

  private static final int MAX_LENGTH = 254;
  private static final Pattern SHAPE =
      Pattern.compile(
          "[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
              + "(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

  private EmailAddress() {}

  /**
   * The normalized address.
   *
   * @throws AccountRefusedException when it is not an e-mail address
   */
  public static String normalize(String text) {
    if (text == null || text.isBlank()) {
      throw new AccountRefusedException("Enter your e-mail address");
    }
    String email = text.trim().toLowerCase(Locale.ROOT);
    if (email.length() > MAX_LENGTH || !SHAPE.matcher(email).matches()) {
      throw new AccountRefusedException("That is not an e-mail address");
    }
    return email;
  }
}
