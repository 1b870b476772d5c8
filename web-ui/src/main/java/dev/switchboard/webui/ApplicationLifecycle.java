package dev.switchboard.webui;

import dev.switchboard.api.platform.Startup;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.WebListener;
import java.util.concurrent.CountDownLatch;

/**
 * Defines the one datasource and starts the application once the container has created it. The
 * datasource's coordinates come from MicroProfile Config: the launcher publishes the embedded
 * database's, or {@code SWITCHBOARD_DB_URL}/{@code _USER}/{@code _PASSWORD} name an external one.
 *
 * <p>Start-up runs here rather than on CDI's {@code @Initialized} event, which fires before the
 * container has created the datasource.
 */
@DataSourceDefinition(
    name = "java:app/jdbc/switchboard",
    className = "org.postgresql.ds.PGSimpleDataSource",
    url = "${MPCONFIG=switchboard.db.url}",
    user = "${MPCONFIG=switchboard.db.user}",
    password = "${MPCONFIG=switchboard.db.password}",
    initialPoolSize = 4,
    minPoolSize = 4,
    maxPoolSize = 32,
    properties = {
      "fish.payara.is-connection-validation-required=true",
      "fish.payara.connection-validation-method=meta-data",
      "ApplicationName=switchboard"
    })
@WebListener
public class ApplicationLifecycle implements ServletContextListener {

  @Inject Startup startup;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    protectSessionCookie(event.getServletContext().getSessionCookieConfig());
    startup.start();
  }

  /**
   * Writes what is still queued (settlements) while the database is up, then tells the launcher,
   * which stops the embedded database only after this.
   */
  @Override
  public void contextDestroyed(ServletContextEvent event) {
    try {
      startup.stop();
    } finally {
      if (System.getProperties().get(LAUNCHER_LATCH) instanceof CountDownLatch latch) {
        latch.countDown();
      }
    }
  }

  /**
   * The dashboard's session cookie is never readable by scripts, and Secure whenever the request
   * came over TLS (the container's default); the launcher makes Payara add {@code SameSite=Lax}.
   * The sign-in behind it lasts at most {@code SWITCHBOARD_SESSION_HOURS}.
   */
  private static void protectSessionCookie(SessionCookieConfig cookie) {
    cookie.setHttpOnly(true);
  }

  /** Installed by the launcher ({@code dev.switchboard.launcher.ApplicationStopped}). */
  private static final String LAUNCHER_LATCH = "switchboard.application.stopped";
}
