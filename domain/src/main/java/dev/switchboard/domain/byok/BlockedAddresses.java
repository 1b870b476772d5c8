package dev.switchboard.domain.byok;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The addresses an organization-supplied base URL may not reach: everything that is not a public
 * unicast address on the internet. IPv6 forms that carry an IPv4 address (mapped, compatible,
 * NAT64, 6to4) are judged by the IPv4 address inside.
 */
final class BlockedAddresses {

  private BlockedAddresses() {}

  /** Why {@code address} is refused, or empty when it is a public unicast address. */
  static Optional<String> reason(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return ipv4(bytes);
    }
    if (address instanceof Inet6Address) {
      return ipv6(bytes);
    }
    return Optional.of("not an IP address");
  }

  private static Optional<String> ipv4(byte[] b) {
    int a0 = b[0] & 0xFF;
    int a1 = b[1] & 0xFF;
    int a2 = b[2] & 0xFF;
    if (a0 == 0) {
      return Optional.of("in 0.0.0.0/8 (this host)");
    }
    if (a0 == 10) {
      return Optional.of("private (10.0.0.0/8)");
    }
    if (a0 == 100 && (a1 & 0xC0) == 64) {
      return Optional.of("shared carrier-grade NAT space (100.64.0.0/10)");
    }
    if (a0 == 127) {
      return Optional.of("loopback (127.0.0.0/8)");
    }
    if (a0 == 169 && a1 == 254) {
      return Optional.of("link-local (169.254.0.0/16, where cloud metadata services answer)");
    }
    if (a0 == 172 && (a1 & 0xF0) == 16) {
      return Optional.of("private (172.16.0.0/12)");
    }
    if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
      return Optional.of("reserved (192.0.0.0/24, 192.0.2.0/24)");
    }
    if (a0 == 192 && a1 == 88 && a2 == 99) {
      return Optional.of("reserved (192.88.99.0/24, 6to4 relays)");
    }
    if (a0 == 192 && a1 == 168) {
      return Optional.of("private (192.168.0.0/16)");
    }
    if (a0 == 198 && (a1 & 0xFE) == 18) {
      return Optional.of("reserved for benchmarks (198.18.0.0/15)");
    }
    if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return Optional.of("reserved for documentation");
    }
    if ((a0 & 0xF0) == 224) {
      return Optional.of("multicast (224.0.0.0/4)");
    }
    if (a0 == 255 && a1 == 255 && a2 == 255 && (b[3] & 0xFF) == 255) {
      return Optional.of("the broadcast address");
    }
    if ((a0 & 0xF0) == 240) {
      return Optional.of("reserved (240.0.0.0/4)");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6(byte[] b) {
    if (allZero(b, 0, 16)) {
      return Optional.of("the unspecified address ::");
    }
    if (allZero(b, 0, 15) && b[15] == 1) {
      return Optional.of("loopback (::1)");
    }
    if (allZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
      return embedded(b, 12, "IPv4-mapped");
    }
    if (allZero(b, 0, 12)) {
      // ::a.b.c.d, deprecated since 2006: nothing public is reached that way any more
      return Optional.of(
          "an IPv4-compatible address (::/96, deprecated)"
              + embedded(b, 12, "").map(r -> "; its IPv4 address is " + r).orElse(""));
    }
    if (word(b, 0) == 0x0064 && word(b, 2) == 0xff9b) {
      if (allZero(b, 4, 12)) {
        return embedded(b, 12, "NAT64 (64:ff9b::/96)");
      }
      return Optional.of("local-use NAT64 (64:ff9b:1::/48)");
    }
    if (word(b, 0) == 0x2002) {
      return embedded(b, 2, "6to4 (2002::/16)");
    }
    if (word(b, 0) == 0x2001 && word(b, 2) == 0x0000) {
      return Optional.of("Teredo (2001::/32), which tunnels to a hidden IPv4 address");
    }
    if (word(b, 0) == 0x2001 && word(b, 2) == 0x0db8) {
      return Optional.of("reserved for documentation (2001:db8::/32)");
    }
    int first = b[0] & 0xFF;
    if ((first & 0xFE) == 0xFC) {
      return Optional.of("unique-local (fc00::/7)");
    }
    if (first == 0xFE && (b[1] & 0xC0) == 0x80) {
      return Optional.of("link-local (fe80::/10)");
    }
    if (first == 0xFE && (b[1] & 0xC0) == 0xC0) {
      return Optional.of("site-local (fec0::/10)");
    }
    if (first == 0xFF) {
      return Optional.of("multicast (ff00::/8)");
    }
    if ((first & 0xE0) != 0x20) {
      return Optional.of("not global unicast (outside 2000::/3)");
    }
    return Optional.empty();
  }

  /** The rule for the IPv4 address at {@code offset}, prefixed with the form that carried it. */
  private static Optional<String> embedded(byte[] b, int offset, String form) {
    byte[] v4 = Arrays.copyOfRange(b, offset, offset + 4);
    return ipv4(v4)
        .map(
            r ->
                (form.isEmpty() ? "" : form + " form of ")
                    + Ipv4Spelling.canonical(v4)
                    + ", which is "
                    + r);
  }

  private static int word(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
