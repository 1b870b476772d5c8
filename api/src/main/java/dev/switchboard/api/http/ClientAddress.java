package dev.switchboard.api.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request really comes from, for per-address limits such as the sign-in throttle.
 * Behind a load balancer every request arrives from the balancer, so when the connection comes from
 * a trusted proxy ({@code SWITCHBOARD_TRUSTED_PROXIES}: addresses or CIDR ranges) the address is
 * read off {@code X-Forwarded-For}, from the right, skipping the trusted hops; anything an
 * untrusted peer sends in that header is ignored, so a client cannot choose its own address.
 */
public final class ClientAddress {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** An address range: the first {@code bits} bits of {@code network}. */
  private record Range(byte[] network, int bits) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Range> trusted;

  private ClientAddress(List<Range> trusted) {
    this.trusted = trusted;
  }

  /**
   * The rule for a list such as {@code "10.0.0.0/8, 192.168.1.7, ::1"}.
   *
   * @throws IllegalArgumentException naming an entry that is not an IP address or CIDR range
   */
  public static ClientAddress trusting(String proxies) {
    List<Range> ranges = new ArrayList<>();
    if (proxies != null) {
      for (String entry : proxies.split(",")) {
        String text = entry.strip();
        if (text.isEmpty()) {
          continue;
        }
        int slash = text.indexOf('/');
        byte[] network =
            literal(slash < 0 ? text : text.substring(0, slash)).orElseThrow(() -> invalid(text));
        int bits = network.length * 8;
        if (slash >= 0) {
          try {
            bits = Integer.parseInt(text.substring(slash + 1));
          } catch (NumberFormatException e) {
            throw invalid(text);
          }
          if (bits < 0 || bits > network.length * 8) {
            throw invalid(text);
          }
        }
        ranges.add(new Range(network, bits));
      }
    }
    return new ClientAddress(List.copyOf(ranges));
  }

  /** The client's address, given the connection's peer and its {@code X-Forwarded-For} header. */
  public String of(String peer, String forwardedFor) {
    if (forwardedFor == null || !isTrusted(peer)) {
      return peer;
    }
    String client = peer;
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (literal(hop).isEmpty()) {
        return client; // a broken chain: the last hop we can vouch for
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  private boolean isTrusted(String address) {
    Optional<byte[]> bytes = literal(address);
    return bytes.isPresent() && trusted.stream().anyMatch(r -> r.contains(bytes.get()));
  }

  /** The bytes of an IP address literal; never a name lookup. */
  private static Optional<byte[]> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    if (v4 && Arrays.stream(text.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
      return Optional.empty(); // not a literal: InetAddress would look it up as a name
    }
    if (!v4 && !IPV6.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static IllegalArgumentException invalid(String entry) {
    return new IllegalArgumentException(
        "SWITCHBOARD_TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR range");
  }
}
