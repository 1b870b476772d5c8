package dev.switchboard.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Start class of {@code switchboard.jar} (the microbundle's {@code Start-Class}). It brings the
 * database up before Payara Micro deploys the application, since the deployment needs a reachable
 * database, then hands over to Payara Micro.
 */
public final class SwitchboardLauncher {

  private static final Logger LOG = Logger.getLogger(SwitchboardLauncher.class.getName());
  private static final String PAYARA_MAIN = "fish.payara.micro.impl.PayaraMicroImpl";

  /**
   * The process's own stdout: Payara redirects System.out into its logging, which is gone at
   * shutdown.
   */
  private static final PrintStream CONSOLE =
      new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

  /** Set when the start failed: the shutdown that follows has nothing of the application's. */
  private static volatile boolean startFailed;

  private SwitchboardLauncher() {}

  public static void main(String[] args) throws Exception {
    keepTheCommonPoolAPool();
    letProviderCallsNameTheirHost();
    dropIdleProviderConnectionsFirst();
    LauncherSettings settings = LauncherSettings.from(System.getenv());
    refuseATakenPort(settings);
    MasterKeySetting.problem(System.getenv()).ifPresent(SwitchboardLauncher::failStart);
    Files.createDirectories(settings.dataDirectory());
    DatabaseCoordinates database = startDatabase(settings);
    database.publishAsSystemProperties();
    System.setProperty("switchboard.data.dir", settings.dataDirectory().toString());

    try {
      startPayara(payaraArguments(settings, args));
    } catch (Exception e) {
      failStart(describe(e));
    }
    String url = "http://" + displayHost(settings.bindAddress()) + ":" + settings.port() + "/";
    ReadinessProbe.Result readiness = ReadinessProbe.check(URI.create(url + "health/ready"));
    if (!readiness.up()) {
      // Payara Micro keeps running after a failed deployment; a platform that cannot serve must
      // stop.
      failStart(readiness.detail());
    }
    System.out.println("Switchboard is ready: dashboard at " + url + ", API at " + url + "api/v1");
  }

  /**
   * Ends a start that cannot serve: says why, and stops the embedded database at once (there is
   * nothing of the application's to wait for).
   */
  private static void failStart(String reason) {
    startFailed = true;
    System.err.println("Switchboard failed to start: " + reason);
    ApplicationStopped.signal();
    System.exit(1);
  }

  /**
   * Says so at once when the HTTP port is taken, before anything starts (Payara would find out only
   * after the database started and the application half deployed).
   */
  private static void refuseATakenPort(LauncherSettings settings) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(settings.bindAddress(), settings.port()));
    } catch (IOException taken) {
      failStart(
          "port "
              + settings.port()
              + " on "
              + settings.bindAddress()
              + " is not free ("
              + taken.getMessage()
              + "); choose another with SWITCHBOARD_PORT");
    }
  }

  /** Why Payara could not start: the innermost cause. */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  /**
   * On a single CPU the common fork-join pool has parallelism 1, and CompletableFuture then starts
   * a new thread for every async task. The JDK's HttpClient completes every response on that pool,
   * so each provider call would create a thread. Two threads at least keep it a pool.
   */
  private static void keepTheCommonPoolAPool() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null) {
      System.setProperty(
          property, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  /**
   * Calls to an organization's own base URL connect to the address its host was checked at and name
   * the host in the {@code Host} header, which the JDK's HTTP client refuses unless this property,
   * read once when the client is first used, allows it.
   */
  private static void letProviderCallsNameTheirHost() {
    String property = "jdk.httpclient.allowRestrictedHeaders";
    String allowed = System.getProperty(property);
    if (allowed == null || allowed.isBlank()) {
      System.setProperty(property, "host");
    } else if (Arrays.stream(allowed.split(","))
        .noneMatch(h -> h.strip().equalsIgnoreCase("host"))) {
      System.setProperty(property, allowed + ",host");
    }
  }

  /**
   * The JDK's HTTP client keeps an idle connection for 20 minutes by default, far longer than
   * servers do (the simulator's closes after 30 s, providers' load balancers after a minute or so):
   * a request sent on a connection the server has just closed fails before the server reads it, and
   * a non-idempotent POST is not retried by the client. Dropping idle connections after 20 s keeps
   * the client the first to close. Read once when the client is first used.
   */
  private static void dropIdleProviderConnectionsFirst() {
    String property = "jdk.httpclient.keepalive.timeout";
    if (System.getProperty(property) == null) {
      System.setProperty(property, "20");
    }
  }

  private static DatabaseCoordinates startDatabase(LauncherSettings settings) throws IOException {
    if (settings.externalDbUrl().isPresent()) {
      boolean ownRole = !settings.externalDbAppUser().isEmpty();
      return new DatabaseCoordinates(
          settings.externalDbUrl().get(),
          settings.externalDbUser(),
          settings.externalDbPassword(),
          ownRole ? settings.externalDbAppUser() : settings.externalDbUser(),
          ownRole ? settings.externalDbAppPassword() : settings.externalDbPassword());
    }
    EmbeddedDatabase embedded = EmbeddedDatabase.start(settings.dataDirectory());
    ApplicationStopped.install();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // the database goes last: the application writes its pending settlements while
                  // stopping
                  if (ApplicationStopped.await(Duration.ofSeconds(30))) {
                    if (!startFailed) {
                      CONSOLE.println("Switchboard stopped: pending settlements written");
                    }
                  } else {
                    CONSOLE.println(
                        "Switchboard stopped without the application confirming its writes");
                  }
                  try {
                    embedded.close();
                  } catch (IOException e) {
                    LOG.log(Level.WARNING, "embedded PostgreSQL did not stop cleanly", e);
                  }
                },
                "switchboard-embedded-postgres-stop"));
    LOG.info(
        "embedded PostgreSQL on 127.0.0.1:"
            + embedded.port()
            + ", data in "
            + settings.dataDirectory());
    return embedded.coordinates();
  }

  static List<String> payaraArguments(LauncherSettings settings, String[] extraArgs)
      throws IOException {
    Path preBoot = Files.createTempFile("switchboard-preboot", ".txt");
    preBoot.toFile().deleteOnExit();
    Files.writeString(
        preBoot,
        String.join(
            "\n",
            "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address="
                + settings.bindAddress(),
            "set configs.config.server-config.thread-pools.thread-pool.http-thread-pool.max-thread-pool-size=64",
            "set configs.config.server-config.thread-pools.thread-pool.http-thread-pool.min-thread-pool-size=8",
            // room for long bearer tokens, so an oversized one gets our 401 rather than the
            // container's bare 400
            "set configs.config.server-config.network-config.protocols.protocol.http-listener.http.header-buffer-length-bytes=65536",
            // the container sizes its write queue per connection from this (4 x; the kernel's own
            // buffer is left to grow), so a client that stops reading makes the container refuse
            // bytes after 64 KiB and the answer's own bound (SWITCHBOARD_CLIENT_BUFFER_BYTES) is
            // reached. Small, because each queued flush holds a whole container buffer (about 8 KB
            // of heap for an event of 250 bytes): at 256 KiB, fifty clients that never read
            // filled a 512 MB heap before any was cut
            "set configs.config.server-config.network-config.transports.transport.tcp.socket-write-buffer-size=16384",
            // keep-alive connections are not closed after a fixed number of requests
            "set configs.config.server-config.network-config.protocols.protocol.http-listener.http.max-connections=-1",
            // the dashboard's session cookie is not sent with cross-site requests (the servlet
            // API's SessionCookieConfig attribute is ignored by Payara; its listener setting is
            // not)
            "set configs.config.server-config.network-config.protocols.protocol.http-listener.http.cookie-same-site-value=Lax",
            "set configs.config.server-config.network-config.protocols.protocol.http-listener.http.cookie-same-site-enabled=true",
            ""),
        StandardCharsets.UTF_8);
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            "--port",
            String.valueOf(settings.port()),
            "--nohazelcast",
            "--disablephonehome",
            "--prebootcommandfile",
            preBoot.toString()));
    arguments.addAll(Arrays.asList(extraArgs));
    return arguments;
  }

  private static void startPayara(List<String> arguments) throws Exception {
    // Reflection keeps the 100 MB Payara Micro jar off the compile class path; at run time the
    // class is
    // on the microbundle's class path.
    Method main = Class.forName(PAYARA_MAIN).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) arguments.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static String displayHost(String bindAddress) {
    return bindAddress.equals("0.0.0.0") ? "127.0.0.1" : bindAddress;
  }
}
