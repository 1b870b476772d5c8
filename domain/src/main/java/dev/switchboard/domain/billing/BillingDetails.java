package dev.switchboard.domain.billing;

import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.EmailAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whom an organization's invoices are addressed to; every part is optional. Parts are stripped, and
 * an empty one is absent. Made from what people typed by {@link #of}, which checks each part.
 */
public record BillingDetails(
    Optional<String> legalName,
    Optional<String> addressLine1,
    Optional<String> addressLine2,
    Optional<String> country,
    Optional<String> taxId,
    Optional<String> billingEmail) {

  /** The parts, as forms and errors name them. */
  public enum Part {
    LEGAL_NAME("Legal name", 200),
    ADDRESS_LINE1("Address line 1", 200),
    ADDRESS_LINE2("Address line 2", 200),
    COUNTRY("Country", 2),
    TAX_ID("Tax id", 50),
    BILLING_EMAIL("Billing e-mail", 254);

    private final String label;
    private final int maxLength;

    Part(String label, int maxLength) {
      this.label = label;
      this.maxLength = maxLength;
    }

    public String label() {
      return label;
    }

    public int maxLength() {
      return maxLength;
    }
  }

  /** None given. */
  public static final BillingDetails NONE =
      new BillingDetails(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern TAX_ID = Pattern.compile("[A-Za-z0-9 .\\-/]+");

  /**
   * Checked details from what people typed ({@code null} or blank for a part not given).
   *
   * @throws InvalidBillingDetailsException naming the first part that is not acceptable
   */
  public static BillingDetails of(
      String legalName,
      String addressLine1,
      String addressLine2,
      String country,
      String taxId,
      String billingEmail) {
    Optional<String> countryCode =
        text(Part.COUNTRY, country).map(code -> code.toUpperCase(Locale.ROOT));
    if (countryCode.isPresent() && !COUNTRY.matcher(countryCode.get()).matches()) {
      throw new InvalidBillingDetailsException(
          Part.COUNTRY, "Give the country as its two-letter ISO code, such as DE or US");
    }
    Optional<String> tax = text(Part.TAX_ID, taxId);
    if (tax.isPresent() && !TAX_ID.matcher(tax.get()).matches()) {
      throw new InvalidBillingDetailsException(
          Part.TAX_ID, "A tax id holds letters, digits, spaces and . - / only");
    }
    Optional<String> email;
    try {
      email = text(Part.BILLING_EMAIL, billingEmail).map(EmailAddress::normalize);
    } catch (AccountRefusedException e) {
      throw new InvalidBillingDetailsException(
          Part.BILLING_EMAIL, "The billing e-mail is not an e-mail address");
    }
    return new BillingDetails(
        text(Part.LEGAL_NAME, legalName),
        text(Part.ADDRESS_LINE1, addressLine1),
        text(Part.ADDRESS_LINE2, addressLine2),
        countryCode,
        tax,
        email);
  }

  /** Whether no part is given. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** The stripped text of a part, empty when blank; refused when too long or holding markup. */
  private static Optional<String> text(Part part, String value) {
    String stripped = value == null ? "" : value.strip();
    if (stripped.isEmpty()) {
      return Optional.empty();
    }
    if (stripped.length() > part.maxLength()) {
      throw new InvalidBillingDetailsException(
          part, part.label() + " is at most " + part.maxLength() + " characters");
    }
    if (stripped.chars().anyMatch(ch -> ch == '<' || ch == '>' || Character.isISOControl(ch))) {
      throw new InvalidBillingDetailsException(
          part, part.label() + " cannot contain < or > or control characters");
    }
    return Optional.of(stripped);
  }
}
