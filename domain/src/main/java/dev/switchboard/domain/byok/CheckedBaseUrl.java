package dev.switchboard.domain.byok;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A base URL that passed the address rules, with the addresses its host had when it was checked: a
 * connection made for it goes to {@link #pinned()}, never to a fresh lookup of the name, so that a
 * host re-pointed at a private address after the check (DNS rebinding) is not reached.
 *
 * @param uri the URL as given
 * @param host its host, lower-case, without a trailing dot or IPv6 brackets
 * @param port its port ({@code 443} when none is written)
 * @param addresses every address the host resolved to, each of which passed (unless allow-listed)
 * @param allowListed whether {@code SWITCHBOARD_BYOK_ALLOWED_HOSTS} admitted it past the rules
 */
public record CheckedBaseUrl(
    URI uri, String host, int port, List<InetAddress> addresses, boolean allowListed) {

  public CheckedBaseUrl {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a checked base URL has at least one address");
    }
  }

  /** The address to connect to. */
  public InetAddress pinned() {
    return addresses.get(0);
  }
}
