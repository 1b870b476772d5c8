package dev.switchboard.domain.byok;

import java.util.Optional;

/**
 * How the C library's resolver ({@code inet_aton}, which {@code getaddrinfo} and curl use) reads a
 * host written with numbers: one to four parts separated by dots, each decimal, octal with a
 * leading {@code 0} or hexadecimal with {@code 0x}; the last part fills the bytes the others leave,
 * so {@code 127.1}, {@code 2130706433}, {@code 0177.0.0.1} and {@code 0x7f.1} are all 127.0.0.1.
 *
 * <p>Java's own {@code InetAddress.getByName} reads some of these differently (it takes {@code
 * 0177.0.0.1} as decimal 177.0.0.1 and resolves {@code 0x7f.1} as a name), which is why the address
 * rules read them here, as the operating system would.
 */
final class Ipv4Spelling {

  private Ipv4Spelling() {}

  /**
   * Whether the host is a number to a URL parser (WHATWG: its last label is decimal digits or
   * {@code 0x} and hexadecimal digits): such a host is an IPv4 address or nothing, never a name.
   */
  static boolean looksNumeric(String host) {
    int dot = host.lastIndexOf('.');
    String last = host.substring(dot + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.startsWith("0x") || last.startsWith("0X")) {
      return last.substring(2).chars().allMatch(Ipv4Spelling::isHexDigit);
    }
    return last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The four bytes {@code inet_aton} reads from {@code host}, or empty when it reads none. */
  static Optional<byte[]> read(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> value = number(parts[i]);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      values[i] = value.get();
    }
    long address = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 0xFF) {
        return Optional.empty();
      }
      address |= values[i] << (24 - 8 * i);
    }
    long last = values[values.length - 1];
    long lastLimit = (1L << (8 * (5 - values.length))) - 1;
    if (last > lastLimit) {
      return Optional.empty();
    }
    address |= last;
    return Optional.of(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        });
  }

  /**
   * Whether {@code host} is the plain dotted quad of those bytes (no leading zeros, four parts).
   */
  static boolean isCanonical(String host, byte[] address) {
    return host.equals(canonical(address));
  }

  static String canonical(byte[] address) {
    return (address[0] & 0xFF)
        + "."
        + (address[1] & 0xFF)
        + "."
        + (address[2] & 0xFF)
        + "."
        + (address[3] & 0xFF);
  }

  private static Optional<Long> number(String part) {
    if (part.isEmpty()) {
      return Optional.empty();
    }
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2);
      if (digits.isEmpty()) {
        return Optional.of(0L); // inet_aton reads a bare 0x as zero
      }
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.length() > 12) {
      return Optional.empty(); // far beyond 32 bits in any radix; also keeps parseLong in range
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(digits, radix));
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
