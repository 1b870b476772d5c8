package dev.switchboard.webui.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, unpacked by the build into {@code
 * target/keycloak}) on a free loopback port, with the realms of {@code
 * src/test/resources/keycloak/} imported: {@code switchboard} (client {@code switchboard}, users
 * ada, grace and linus, a fixed test-only signing key) and {@code elsewhere} (another realm with
 * its own keys). Started once per test JVM, on first use, by every test that needs it; stopped when
 * the JVM exits.
 */
final class Keycloak {

  static final String REALM = "switchboard";
  static final String OTHER_REALM = "elsewhere";
  static final String CLIENT_ID = "switchboard";
  static final String CLIENT_SECRET = "switchboard-e2e-secret";
  static final String OTHER_CLIENT_SECRET = "elsewhere-e2e-secret";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private static Keycloak shared;

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private Keycloak(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The one Keycloak of this JVM, started on the first call. */
  static synchronized Keycloak shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "keycloak-stop"));
    }
    return shared;
  }

  /** The issuer of the {@code switchboard} realm, as the platform is configured with it. */
  String issuer() {
    return issuer(REALM, "127.0.0.1");
  }

  String issuer(String realm, String host) {
    return "http://" + host + ":" + port + "/realms/" + realm;
  }

  /**
   * An access token of a realm's user, fetched with the password grant (the test client allows it)
   * through {@code host}, which Keycloak writes into the token's issuer.
   */
  String accessToken(String realm, String host, String user, String password, String secret) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(issuer(realm, host) + "/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=password&scope=openid&client_id="
                        + CLIENT_ID
                        + "&client_secret="
                        + secret
                        + "&username="
                        + user
                        + "&password="
                        + password))
            .build();
    String body = RunningSwitchboard.send(http, request).body();
    Matcher token = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(body);
    if (!token.find()) {
      throw new IllegalStateException("Keycloak gave no access token: " + body);
    }
    return token.group(1);
  }

  private static Keycloak start() {
    Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.7.3"));
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(
          "No Keycloak at " + home + ": the build unpacks it before the integration tests");
    }
    try {
      Path imports = Files.createDirectories(home.resolve("data/import"));
      for (String realm : new String[] {REALM, OTHER_REALM}) {
        String file = realm + "-realm.json";
        Files.copy(
            Path.of("src/test/resources/keycloak", file),
            imports.resolve(file),
            StandardCopyOption.REPLACE_EXISTING);
      }
      int port = RunningSwitchboard.freePort();
      Path log = Path.of("target", "keycloak-" + port + ".log").toAbsolutePath();
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  home.resolve("bin/kc.sh").toString(),
                  "start-dev",
                  "--http-host=127.0.0.1",
                  "--http-port=" + port,
                  "--http-management-port=" + RunningSwitchboard.freePort(),
                  "--db=dev-mem",
                  "--import-realm")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
      env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
      env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
      env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1"); // as RunningSwitchboard's jars
      Keycloak keycloak = new Keycloak(builder.start(), port, log);
      keycloak.awaitReady();
      return keycloak;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls the realm's discovery document until it answers, the process dies or time is up. */
  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak stopped while starting:\n" + tail());
      }
      try {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the port opens late in the start
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        // a poll interval: waiting on the process's state would tell nothing of the realm import
        process.waitFor(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    stop();
    throw new IllegalStateException("Keycloak was not ready in " + START_TIMEOUT + ":\n" + tail());
  }

  private String tail() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private void stop() {
    // kc.sh forwards the signal to its java child; the child is also told directly, in case not
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
