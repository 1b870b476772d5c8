package dev.switchboard.api.http;

import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.byok.ProviderKeys;
import dev.switchboard.domain.keys.KeyChange;
import dev.switchboard.domain.ledger.SpendGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears of key changes made on any instance sharing the database ({@link KeyChange}, PostgreSQL
 * {@code LISTEN}) and drops the cached records they name from this instance's {@link
 * KeyAuthenticator}, so a deleted or disabled key is refused everywhere within moments of its
 * commit.
 *
 * <p>One connection of its own, outside the pool, on one daemon thread; a query every few seconds
 * finds a connection that died silently. When the connection drops it reconnects with a growing
 * pause (up to {@link #MAX_BACKOFF}); notifications sent meanwhile are lost, so after every
 * (re)connection it empties the whole cache, and until it is back the cache's TTL bounds how stale
 * a record can be.
 */
@ApplicationScoped
public class KeyChangeListener {

  private static final Logger LOG = Logger.getLogger(KeyChangeListener.class.getName());
  private static final int WAIT_MILLIS = 500;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration PING_INTERVAL = Duration.ofSeconds(5);

  @Inject SwitchboardSettings settings;
  @Inject KeyAuthenticator authenticator;
  @Inject SpendGate spendGate;
  @Inject ProviderKeys providerKeys;

  private volatile boolean running;
  private volatile Connection connection;
  private Thread thread;

  /** Starts listening, on a thread of its own. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    SwitchboardSettings.DatabaseLogin login = settings.applicationDatabase();
    thread = new Thread(() -> listen(login), "switchboard-key-change-listener");
    thread.setDaemon(true);
    thread.start();
  }

  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      closeQuietly(connection); // unblocks a wait on the socket
      thread = null;
    }
  }

  private void listen(SwitchboardSettings.DatabaseLogin login) {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      try (Connection c = connect(login)) {
        connection = c;
        try (Statement listen = c.createStatement()) {
          listen.execute("LISTEN " + KeyChange.CHANNEL);
        }
        // anything sent while this instance was not listening is lost: forget everything
        authenticator.invalidateAll();
        backoff = FIRST_BACKOFF;
        PGConnection notifications = c.unwrap(PGConnection.class);
        long lastPing = System.nanoTime();
        while (running) {
          PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
          if (received != null) {
            for (PGNotification notification : received) {
              apply(notification.getParameter());
            }
          }
          if (System.nanoTime() - lastPing > PING_INTERVAL.toNanos()) {
            // a connection cut without a reset reads as silence: ask, so it fails (socketTimeout)
            try (Statement ping = c.createStatement()) {
              ping.execute("SELECT 1");
            }
            lastPing = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.log(
            Level.WARNING,
            "key-change listener lost its database connection; reconnecting in "
                + backoff.toMillis()
                + " ms (until then cached keys may stay stale for up to "
                + KeyAuthenticator.TTL.toSeconds()
                + " s): "
                + e.getMessage());
      } finally {
        connection = null;
      }
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private void apply(String payload) {
    KeyChange.parse(payload)
        .ifPresentOrElse(
            change -> {
              if (change instanceof KeyChange.Key key) {
                authenticator.invalidate(key.hash());
              } else if (change instanceof KeyChange.Organization org) {
                authenticator.invalidateOrganization(org.org());
              } else if (change instanceof KeyChange.Leases leases) {
                spendGate.retireLeases(leases.org());
              } else if (change instanceof KeyChange.ProviderKeys byok) {
                providerKeys.forget(byok.org());
              }
            },
            () -> LOG.warning("unknown key-change notification: " + payload));
  }

  private static Connection connect(SwitchboardSettings.DatabaseLogin login) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", login.user());
    properties.setProperty("password", login.password());
    properties.setProperty("ApplicationName", "switchboard-key-change-listener");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("socketTimeout", "10");
    // the driver itself, not DriverManager: it lives in the server's class loader, not the app's
    Connection c = new Driver().connect(login.url(), properties);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + login.url());
    }
    c.setAutoCommit(true);
    return c;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing to stop; nothing to do
    }
  }
}
