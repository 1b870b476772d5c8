package dev.switchboard.domain.byok;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules an organization-supplied base URL must pass (server-side request forgery): {@code
 * https} only, no credentials, no fragment, and a host whose every address is public (see {@link
 * BlockedAddresses}); hosts written with numbers are read as the operating system's resolver reads
 * them ({@link Ipv4Spelling}), and any spelling but the plain dotted quad is refused, since two
 * readers disagree on it. Hosts named in {@code SWITCHBOARD_BYOK_ALLOWED_HOSTS} pass whatever their
 * addresses. The check connects nowhere: names are only resolved.
 */
public final class BaseUrlGuard {

  /** The longest base URL accepted, in characters. */
  public static final int MAX_LENGTH = 2048;

  private static final Pattern NAME =
      Pattern.compile(
          "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-f:.]+");

  private final Set<String> allowedHosts;
  private final HostResolver resolver;

  public BaseUrlGuard(Set<String> allowedHosts, HostResolver resolver) {
    this.allowedHosts =
        allowedHosts.stream()
            .map(BaseUrlGuard::normalizeListed)
            .collect(Collectors.toUnmodifiableSet());
    this.resolver = resolver;
  }

  /**
   * The guard for {@code SWITCHBOARD_BYOK_ALLOWED_HOSTS} (comma-separated host names, or unset).
   */
  public static BaseUrlGuard configured(Optional<String> allowedHosts) {
    Set<String> hosts =
        Arrays.stream(allowedHosts.orElse("").split(","))
            .map(String::strip)
            .filter(host -> !host.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    return new BaseUrlGuard(hosts, HostResolver.SYSTEM);
  }

  /**
   * The URL checked, with the addresses to connect to.
   *
   * @throws BaseUrlRefusedException saying which rule it breaks
   */
  public CheckedBaseUrl check(String text) {
    if (text == null || text.isBlank()) {
      throw refused("'base_url' must be a non-empty https URL");
    }
    if (text.length() > MAX_LENGTH) {
      throw refused("'base_url' must be at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw refused("'base_url' is not a valid URL");
    }
    if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("https")) {
      throw refused("'base_url' must use https");
    }
    if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
      throw refused("'base_url' must name a host, as in https://api.example.com/v1");
    }
    if (uri.getRawFragment() != null) {
      throw refused("'base_url' must not have a fragment (#…)");
    }
    String authority = uri.getRawAuthority();
    if (authority.indexOf('@') >= 0 || uri.getRawUserInfo() != null) {
      throw refused(
          "'base_url' must not carry credentials (user:password@); send the key as api_key");
    }
    HostAndPort target = split(authority);
    if (isListed(target.host())) {
      return new CheckedBaseUrl(uri, target.host(), target.port(), addresses(target), true);
    }
    List<InetAddress> addresses = addresses(target);
    for (InetAddress address : addresses) {
      Optional<String> reason = BlockedAddresses.reason(address);
      if (reason.isPresent()) {
        throw refused(
            "'base_url' host "
                + target.host()
                + (target.literal() ? " is " : " resolves to " + address.getHostAddress() + ", ")
                + reason.get()
                + ": only public addresses may be reached (the operator can allow a host with"
                + " SWITCHBOARD_BYOK_ALLOWED_HOSTS)");
      }
    }
    return new CheckedBaseUrl(uri, target.host(), target.port(), addresses, false);
  }

  /** A host as written in the URL, normalized, and whether it was an address rather than a name. */
  private record HostAndPort(
      String host, int port, boolean literal, byte[] ipv4, InetAddress ipv6) {}

  private HostAndPort split(String authority) {
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw refused("'base_url' has an unclosed IPv6 address");
      }
      host = authority.substring(1, close).toLowerCase(Locale.ROOT);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw refused("'base_url' has something after its IPv6 address");
        }
        port = rest.substring(1);
      }
      return new HostAndPort(host, port(port), true, null, ipv6(host));
    }
    int colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.substring(0, colon);
      port = authority.substring(colon + 1);
    } else {
      host = authority;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1); // DNS's root label: localhost. is localhost
    }
    if (host.isEmpty() || host.length() > 253 || !NAME.matcher(host).matches()) {
      throw refused("'base_url' has an invalid host name");
    }
    int number = port(port);
    if (Ipv4Spelling.looksNumeric(host)) {
      Optional<byte[]> ipv4 = Ipv4Spelling.read(host);
      if (ipv4.isEmpty()) {
        throw refused("'base_url' host " + host + " is not a valid IPv4 address");
      }
      return new HostAndPort(host, number, true, ipv4.get(), null);
    }
    return new HostAndPort(host, number, false, null, null);
  }

  private static int port(String text) {
    if (text == null) {
      return 443;
    }
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw refused("'base_url' has an invalid port");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw refused("'base_url' has an invalid port");
    }
    return port;
  }

  private static InetAddress ipv6(String literal) {
    // digits, colons and an embedded dotted quad only: no zone id (%eth0), no name to look up
    if (!IPV6_LITERAL.matcher(literal).matches() || literal.indexOf(':') < 0) {
      throw refused("'base_url' has an invalid IPv6 address");
    }
    int lastColon = literal.lastIndexOf(':');
    String tail = literal.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0) {
      // an embedded IPv4 part must be a plain dotted quad: Java and C disagree on 0177 and the like
      Optional<byte[]> v4 = Ipv4Spelling.read(tail);
      if (v4.isEmpty() || !Ipv4Spelling.isCanonical(tail, v4.get())) {
        throw refused("'base_url' has an invalid IPv4 part in its IPv6 address");
      }
    }
    try {
      // a literal with a colon is parsed, never looked up
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw refused("'base_url' has an invalid IPv6 address");
    }
  }

  private List<InetAddress> addresses(HostAndPort target) {
    try {
      if (target.ipv6() != null) {
        return List.of(target.ipv6());
      }
      if (target.ipv4() != null) {
        InetAddress address = InetAddress.getByAddress(target.ipv4());
        if (!Ipv4Spelling.isCanonical(target.host(), target.ipv4()) && !isListed(target.host())) {
          Optional<String> reason = BlockedAddresses.reason(address);
          throw refused(
              "'base_url' host "
                  + target.host()
                  + " is the IPv4 address "
                  + address.getHostAddress()
                  + reason.map(r -> ", which is " + r).orElse("")
                  + ", written in a legacy form that resolvers read differently: write it as "
                  + address.getHostAddress());
        }
        return List.of(address);
      }
      InetAddress[] resolved = resolver.resolve(target.host());
      if (resolved == null || resolved.length == 0) {
        throw refused("'base_url' host " + target.host() + " does not resolve");
      }
      return new ArrayList<>(Arrays.asList(resolved));
    } catch (UnknownHostException e) {
      throw refused("'base_url' host " + target.host() + " does not resolve");
    }
  }

  private boolean isListed(String host) {
    return allowedHosts.contains(host);
  }

  /** An allowed host as the operator wrote it: lower-case, without brackets or a trailing dot. */
  private static String normalizeListed(String host) {
    String normalized = host.strip().toLowerCase(Locale.ROOT);
    if (normalized.startsWith("[") && normalized.endsWith("]")) {
      normalized = normalized.substring(1, normalized.length() - 1);
    }
    if (normalized.endsWith(".")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized;
  }

  private static BaseUrlRefusedException refused(String message) {
    return new BaseUrlRefusedException(message);
  }
}
