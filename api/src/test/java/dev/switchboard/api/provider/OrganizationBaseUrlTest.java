package dev.switchboard.api.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.switchboard.api.provider.openai.OpenAiWire;
import dev.switchboard.domain.byok.BaseUrlGuard;
import dev.switchboard.domain.byok.HostResolver;
import dev.switchboard.simulator.ProviderSimulator;
import dev.switchboard.simulator.RecordedRequest;
import dev.switchboard.simulator.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls to a base URL an organization supplied (BYOK), over real TLS on loopback: the host is
 * checked again at each call and the connection made to the address that passed, named by the
 * {@code Host} header and SNI, whose certificate is checked against the name; a host that now
 * resolves to a blocked address is never connected to, and redirects are not followed.
 */
class OrganizationBaseUrlTest {

  private static final ProviderClient.Timeouts TIMEOUTS =
      new ProviderClient.Timeouts(
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  @TempDir static Path certificates;
  private static SelfSignedCertificate localhost;

  /** A name only this test's resolver knows: reached only through the address it checked. */
  private static SelfSignedCertificate unresolvable;

  private ProviderSimulator provider;
  private ProviderClient client;
  private CountingListener listener;

  @BeforeAll
  static void certificate() {
    localhost = SelfSignedCertificate.create(certificates, "localhost");
    unresolvable = SelfSignedCertificate.create(certificates, "provider.test");
  }

  @AfterEach
  void close() throws IOException {
    if (client != null) {
      client.close();
    }
    if (provider != null) {
      provider.close();
    }
    if (listener != null) {
      listener.close();
    }
  }

  @Test
  void anAllowedNameIsCalledAtTheAddressItWasCheckedAtWithItsNameInTheHostHeaderAndTls()
      throws Exception {
    provider = ProviderSimulator.startTls("127.0.0.1", 0, unresolvable);
    client = client(Set.of("provider.test"), Map.of("provider.test", "127.0.0.1"), unresolvable);

    ObjectNode answer =
        client
            .complete(new OpenAiWire(), call(provider.baseUrl() + "/acme/v1"))
            .get(10, TimeUnit.SECONDS);

    assertThat(answer.path("choices").path(0).path("message").path("content").asText())
        .isNotEmpty();
    List<RecordedRequest> received = provider.recordedRequests("acme");
    assertThat(received).hasSize(1);
    assertThat(received.get(0).headers())
        .as("the name, not the address the connection went to")
        .containsEntry("host", "provider.test:" + provider.port());
    assertThat(received.get(0).credential()).isEqualTo(RecordedRequest.fingerprint("sk-own"));
  }

  @Test
  void aStreamGoesThroughThePinnedConnectionToo() throws Exception {
    provider = ProviderSimulator.startTls("127.0.0.1", 0, unresolvable);
    client = client(Set.of("provider.test"), Map.of("provider.test", "127.0.0.1"), unresolvable);
    CompletableFuture<ProviderError> outcome = new CompletableFuture<>();
    AtomicInteger events = new AtomicInteger();

    client.stream(
        new OpenAiWire(),
        streamCall(provider.baseUrl() + "/acme/v1"),
        new StreamListener() {
          @Override
          public void onEvents(List<StreamEvent> batch) {
            events.addAndGet(batch.size());
          }

          @Override
          public void onEnd() {
            outcome.complete(null);
          }

          @Override
          public void onFailure(ProviderError error) {
            outcome.complete(error);
          }
        });

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(events.get()).isPositive();
    assertThat(provider.recordedRequests("acme")).hasSize(1);
  }

  @Test
  void aNameThatNowResolvesToLoopbackIsNeverConnectedTo() throws Exception {
    listener = new CountingListener();
    // stored when it resolved to a public address; re-pointed at this machine since (rebinding)
    client = client(Set.of(), Map.of("provider.example", "127.0.0.1"), localhost);

    ProviderError error =
        failure(
            client.complete(
                new OpenAiWire(), call("https://provider.example:" + listener.port() + "/v1")));

    assertThat(error.kind()).isEqualTo(ProviderError.Kind.CONNECTION);
    assertThat(error.retryable()).as("the platform's key may serve instead").isTrue();
    assertThat(error.message()).contains("127.0.0.1").contains("loopback");
    assertThat(listener.connections()).isZero();
  }

  @Test
  void everyLoopbackSpellingIsRefusedWithoutAConnection() throws Exception {
    listener = new CountingListener();
    client = client(Set.of(), Map.of(), localhost);
    int port = listener.port();

    for (String base :
        List.of(
            "https://127.0.0.1:" + port,
            "https://127.1:" + port,
            "https://2130706433:" + port,
            "https://0x7f.1:" + port,
            "https://0177.0.0.1:" + port,
            "https://[::1]:" + port,
            "https://[::ffff:127.0.0.1]:" + port,
            "https://[::ffff:7f00:1]:" + port,
            "https://0.0.0.0:" + port,
            "http://127.0.0.1:" + port)) {
      ProviderError error = failure(client.complete(new OpenAiWire(), call(base + "/v1")));
      assertThat(error.kind()).as(base).isEqualTo(ProviderError.Kind.CONNECTION);
    }
    assertThat(listener.connections()).isZero();
  }

  @Test
  void aCertificateForAnotherNameIsRefused() throws Exception {
    SelfSignedCertificate elsewhere = SelfSignedCertificate.create(certificates, "elsewhere.test");
    provider = ProviderSimulator.startTls("127.0.0.1", 0, elsewhere);
    // the client trusts the certificate, but it names another host than the one called
    client = client(Set.of("localhost"), Map.of("localhost", "127.0.0.1"), elsewhere);

    ProviderError error =
        failure(
            client.complete(
                new OpenAiWire(), call("https://localhost:" + provider.port() + "/acme/v1")));

    assertThat(error.kind()).isEqualTo(ProviderError.Kind.CONNECTION);
    assertThat(provider.recordedRequests("acme")).isEmpty();
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    listener = new CountingListener();
    HttpsServer redirecting = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    redirecting.setHttpsConfigurator(new HttpsConfigurator(localhost.serverContext()));
    redirecting.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange
              .getResponseHeaders()
              .add("Location", "https://localhost:" + listener.port() + "/v1/chat/completions");
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    redirecting.start();
    try {
      client = client(Set.of("localhost"), Map.of("localhost", "127.0.0.1"), localhost);

      ProviderError error =
          failure(
              client.complete(
                  new OpenAiWire(),
                  call("https://localhost:" + redirecting.getAddress().getPort() + "/v1")));

      assertThat(error.upstreamStatus()).isEqualTo(307);
      assertThat(listener.connections()).isZero();
    } finally {
      redirecting.stop(0);
    }
  }

  private static ProviderClient client(
      Set<String> allowedHosts, Map<String, String> names, SelfSignedCertificate trusted) {
    HostResolver table =
        host -> {
          String address = names.get(host);
          if (address == null) {
            throw new UnknownHostException(host);
          }
          return new InetAddress[] {InetAddress.getByName(address)};
        };
    return new ProviderClient(
        TIMEOUTS, new BaseUrlGuard(allowedHosts, table), trusted.clientContext());
  }

  private static ProviderCall call(String baseUrl) {
    return call(baseUrl, false);
  }

  private static ProviderCall streamCall(String baseUrl) {
    return call(baseUrl, true);
  }

  private static ProviderCall call(String baseUrl, boolean stream) {
    return ProviderCalls.toOrganizationBaseUrl(
        ProviderCalls.openAi(baseUrl, "sk-own", "m-1", stream));
  }

  private static ProviderError failure(CompletableFuture<ObjectNode> future) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    assertThat(e).as("the call should have failed").isNotNull();
    assertThat(e.getCause()).isInstanceOf(ProviderException.class);
    return ((ProviderException) e.getCause()).error();
  }

  /** A loopback port that counts the connections made to it (and closes each). */
  private static final class CountingListener implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    CountingListener() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accepting =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket accepted = socket.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "counting-listener");
      accepting.setDaemon(true);
      accepting.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
