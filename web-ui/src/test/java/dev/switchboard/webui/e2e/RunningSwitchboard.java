package dev.switchboard.webui.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The built jar ({@code web-ui/target/switchboard.jar}) started as a user starts it: its own
 * process, the embedded PostgreSQL in a fresh data directory, the demo catalog. Ready when it
 * prints its ready line.
 */
public final class RunningSwitchboard implements AutoCloseable {

  public static final String OPERATOR_TOKEN = "e2e-operator-token";
  static final String DATABASE_USER = "postgres";
  private static final String READY_LINE = "Switchboard is ready";
  private static final String DATABASE_LINE = "embedded PostgreSQL on 127.0.0.1:";

  private final Process process;
  private final int port;
  private final Path dataDir;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private volatile int databasePort;
  private Thread outputReader;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningSwitchboard(Process process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  public static RunningSwitchboard start(Map<String, String> extraEnvironment) {
    try {
      return start(extraEnvironment, Files.createTempDirectory("switchboard-e2e"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts on a given data directory, e.g. the one a previous instance left. */
  public static RunningSwitchboard start(Map<String, String> extraEnvironment, Path dataDir) {
    String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
    try {
      int port = freePort();
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx768m",
                  // a test's instance lives a minute or two on a two-core machine: the quick
                  // compiler alone boots it about a fifth faster than both
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  jar)
              .redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
      env.put("SWITCHBOARD_PORT", String.valueOf(port));
      env.put("SWITCHBOARD_DATA_DIR", dataDir.toString());
      env.put("SWITCHBOARD_OPERATOR_TOKEN", OPERATOR_TOKEN);
      env.putAll(extraEnvironment);
      RunningSwitchboard running = new RunningSwitchboard(builder.start(), port, dataDir);
      running.awaitReady(Duration.ofMinutes(3));
      return running;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    Path log = Path.of("target", "switchboard-e2e-" + port + ".log");
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = out.readLine()) != null) {
                  file.println(line);
                  file.flush();
                  synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 80) {
                      lastLines.removeFirst();
                    }
                  }
                  int at = line.indexOf(DATABASE_LINE);
                  if (at >= 0) {
                    String rest = line.substring(at + DATABASE_LINE.length());
                    databasePort = Integer.parseInt(rest.substring(0, rest.indexOf(',')));
                  }
                  if (line.startsWith(READY_LINE)) {
                    ready.complete(true);
                  }
                }
              } catch (IOException e) {
                // the process ended; fall through
              }
              ready.complete(false);
            },
            "switchboard-e2e-output");
    reader.setDaemon(true);
    reader.start();
    outputReader = reader;
    boolean started;
    try {
      started = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      started = false;
    }
    if (!started) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "Switchboard did not become ready; last output (full log in " + log + "):\n" + tail());
    }
  }

  /** Everything the process has printed so far (its log). */
  public String logText() {
    try {
      return Files.readString(Path.of("target", "switchboard-e2e-" + port + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String tail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public String apiBase() {
    return "http://127.0.0.1:" + port + "/api/v1";
  }

  /**
   * A connection to the instance's embedded database, to check what a request did (or did not)
   * write.
   */
  public Connection database() throws SQLException {
    return DriverManager.getConnection(databaseUrl(), DATABASE_USER, databasePassword());
  }

  /** The embedded database's password, which the instance generated into its data directory. */
  public String databasePassword() {
    try {
      return Files.readString(dataDir.resolve("secrets").resolve("database-password")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String databaseUrl() {
    return "jdbc:postgresql://127.0.0.1:" + databasePort + "/switchboard";
  }

  /** The one text value a query with text parameters finds, e.g. an organization's name. */
  public String queryString(String sql, String... parameters) {
    return String.valueOf(queryValue(sql, parameters));
  }

  /** The one number a query with text parameters finds, e.g. a count of an organization's rows. */
  public long queryLong(String sql, String... parameters) {
    return ((Number) queryValue(sql, parameters)).longValue();
  }

  private Object queryValue(String sql, String... parameters) {
    try (Connection c = database();
        java.sql.PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      try (java.sql.ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new AssertionError("no row for " + sql);
        }
        return rows.getObject(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Row counts of every application table: a request refused as bad input must change none of them.
   */
  public Map<String, Long> tableRowCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    try (Connection c = database();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet tables =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'")) {
      java.util.List<String> names = new java.util.ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      for (String table : names) {
        try (java.sql.Statement count = c.createStatement();
            java.sql.ResultSet rows = count.executeQuery("SELECT count(*) FROM " + table)) {
          rows.next();
          counts.put(table, rows.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return counts;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public HttpResponse<String> get(String path, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  public HttpResponse<String> post(
      String path, String bearer, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  public HttpResponse<String> patch(String path, String bearer, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  public HttpResponse<String> put(String path, String bearer, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  public HttpResponse<String> delete(String path, String bearer) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer)
            .DELETE()
            .build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    return send(http, request);
  }

  /** Sends a request with a client and reads the answer as text; failures are unchecked. */
  static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.toHandle().destroy(); // SIGTERM: a clean shutdown, as Ctrl-C
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * Kills the process (SIGKILL: no shutdown, nothing written on the way out), as a crash or an OOM
   * killer would; its embedded PostgreSQL is left running, as it would be, for the next start on
   * the same data directory to stop.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Stops as Ctrl-C does and says whether the process ended within the timeout. */
  public boolean stopGracefully(Duration timeout) throws InterruptedException {
    // through the handle: Process.destroy() also closes our end of its output, losing its last
    // lines
    process.toHandle().destroy();
    boolean stopped = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (stopped) {
      outputReader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines reach the log
    }
    return stopped;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static Map<String, String> environment(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
