package dev.switchboard.domain.accounts;

/** The rule for names people give (their own, an organization's): shown on pages and in e-mails. */
final class DisplayNames {

  static final int MAX_LENGTH = 100;

  private DisplayNames() {}

  /**
   * The stripped name.
   *
   * @throws AccountRefusedException when it is empty, longer than 100 characters, or holds markup
   *     or control characters
   */
  static String check(String text, String what) {
    String name = text == null ? "" : text.strip();
    if (name.isEmpty() || name.length() > MAX_LENGTH) {
      throw new AccountRefusedException("Give " + what + " of 1 to " + MAX_LENGTH + " characters");
    }
    if (name.chars().anyMatch(ch -> ch == '<' || ch == '>' || Character.isISOControl(ch))) {
      throw new AccountRefusedException("A name cannot contain < or > or control characters");
    }
    return name;
  }
}
