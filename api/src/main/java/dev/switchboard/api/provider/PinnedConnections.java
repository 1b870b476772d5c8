package dev.switchboard.api.provider;

import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.byok.BaseUrlRefusedException;
import dev.switchboard.domain.byok.CheckedBaseUrl;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Connections to base URLs an organization supplied with its own provider key (server-side request
 * forgery). Every call checks the URL's host again with {@link BaseUrlGuard} (a name can be
 * re-pointed after the key was stored) and connects to the address that passed, never to a second
 * lookup of the name, so a host that answers the check with a public address and the connection
 * with a private one (DNS rebinding) is not reached. The request is re-addressed to that address;
 * the host name still goes in the {@code Host} header and as TLS server name (SNI), against which
 * the JDK checks the provider's certificate. Redirects are never followed.
 *
 * <p>Java 17's {@link HttpClient} has no resolver hook, hence the re-addressing: it needs the
 * {@code Host} header, which the client refuses unless the JVM starts with {@code
 * -Djdk.httpclient.allowRestrictedHeaders=host} (the launcher sets it). One client per host and
 * address (its own connection pool and TLS server name), the least recently used dropped past
 * {@value #MAX_CLIENTS}.
 */
final class PinnedConnections {

  private static final Logger LOG = Logger.getLogger(PinnedConnections.class.getName());
  private static final int MAX_CLIENTS = 256;
  static final String HOST_HEADER_PROPERTY = "jdk.httpclient.allowRestrictedHeaders";

  /** A request re-addressed to a checked address, and the client that must send it. */
  record Pinned(HttpClient client, HttpRequest request) {}

  private final BaseUrlGuard guard;
  private final SSLContext tls;
  private final Duration connectTimeout;
  private final Executor executor;
  private final boolean hostHeaderAllowed;
  private final Map<String, HttpClient> clients =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
          return size() > MAX_CLIENTS;
        }
      };

  PinnedConnections(
      BaseUrlGuard guard, SSLContext tls, Duration connectTimeout, Executor executor) {
    this.guard = guard;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.executor = executor;
    this.hostHeaderAllowed = hostHeaderAllowed();
    if (!hostHeaderAllowed) {
      LOG.warning(
          "organizations' own base URLs cannot be reached: start the JVM with -D"
              + HOST_HEADER_PROPERTY
              + "=host (the launcher does)");
    }
  }

  /**
   * Checks the host of {@code baseUrl} (it may block on a name lookup: call off the request
   * thread), then makes the request and re-addresses it to the address that passed.
   *
   * @throws CompletionException of a {@link ProviderException} ({@link
   *     ProviderError.Kind#CONNECTION}, so the platform's key may serve instead) when the host is
   *     refused
   */
  Pinned pin(URI baseUrl, Supplier<HttpRequest> requestToIt) {
    CheckedBaseUrl checked;
    try {
      checked = guard.check(baseUrl.toString());
    } catch (BaseUrlRefusedException e) {
      throw refused("your organization's base URL was not called: " + e.getMessage());
    }
    if (!hostHeaderAllowed) {
      throw refused("organization base URLs are not enabled on this instance");
    }
    HttpRequest request;
    try {
      request = requestToIt.get();
    } catch (IllegalArgumentException e) {
      throw refused("your organization's base URL was not called: it is not a usable URL");
    }
    URI uri = request.uri();
    InetAddress address = checked.pinned();
    boolean literal = isLiteral(checked.host());
    String hostAndPort =
        bracketed(checked.host()) + (checked.port() == 443 ? "" : ":" + checked.port());
    URI addressed =
        URI.create(
            "https://"
                + bracketed(address.getHostAddress())
                + ":"
                + checked.port()
                + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    HttpRequest pinned =
        HttpRequest.newBuilder(request, (name, value) -> true)
            .uri(addressed)
            .header("Host", hostAndPort)
            .build();
    return new Pinned(client(checked.host(), literal, address), pinned);
  }

  private static CompletionException refused(String message) {
    return new CompletionException(
        new ProviderException(ProviderError.of(ProviderError.Kind.CONNECTION, 0, message)));
  }

  private HttpClient client(String host, boolean literal, InetAddress address) {
    String key = host + "@" + address.getHostAddress();
    synchronized (clients) {
      return clients.computeIfAbsent(key, k -> newClient(host, literal));
    }
  }

  private HttpClient newClient(String host, boolean literal) {
    SSLParameters parameters = tls.getDefaultSSLParameters();
    if (!literal) {
      // the URI names an address, so the client sends no server name of its own: ours is checked
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    return HttpClient.newBuilder()
        // HTTP/1.1: the Host header carries the name (HTTP/2 would take :authority from the URI)
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls)
        .sslParameters(parameters)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  /**
   * Whether the host was written as an address (an IPv6 one, or a dotted quad) rather than a name.
   */
  private static boolean isLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static String bracketed(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static boolean hostHeaderAllowed() {
    try {
      HttpRequest.newBuilder(URI.create("https://127.0.0.1/")).header("Host", "probe");
      return true;
    } catch (IllegalArgumentException e) {
      LOG.log(Level.FINE, "the Host header is restricted", e);
      return false;
    }
  }
}
